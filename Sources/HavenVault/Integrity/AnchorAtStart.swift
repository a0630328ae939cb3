import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// What a start checks of a configured anchor before the log is read: that it is usable
/// (`AnchorFile.checkUsable`) and not older than the last one this data directory wrote
/// (`AnchoredMark`). That the log extends it is checked with the log (`StartupCheck`).
///
/// The rule is "the anchor holds at least the mark", never "exactly the latest checkpoint":
/// the anchor is written after its checkpoint commits and the mark after the anchor, so a
/// crash between any two of them leaves an anchor behind the log but never behind the
/// mark. A directory with no mark (upgraded from a release that kept none) was anchored at
/// every checkpoint, so its anchor must hold one of the last two.
struct AnchorAtStart {
    let file: AnchorFile
    let db: Connection
    let keys: VaultKeys

    /// The anchor's checkpoint (nil while `--create-anchor` makes the first one).
    func run(creating: Bool) throws -> SignedCheckpoint? {
        try file.checkUsable(creating: creating)
        guard let anchored = try file.read(vault: keys.vaultID, key: keys.publicKey) else { return nil }
        let size = anchored.checkpoint.size
        if let mark = try AnchoredMark.read(on: db, vault: keys.vaultID, key: keys.publicKey) {
            if size < mark.size { throw older(anchored, than: "the checkpoint of \(mark.size) this data directory last wrote to it") }
        } else if let floor = try previousCheckpointSize(), size < floor {
            throw older(anchored, than: "the audit log's last two checkpoints (\(floor) and later), one of which every "
                        + "earlier release wrote to it")
        }
        return anchored
    }

    private func older(_ anchored: SignedCheckpoint, than what: String) -> HavenError {
        let cp = anchored.checkpoint
        return HavenError(.integrityError, "refusing to start: the anchor \(file.path) holds a checkpoint of \(cp.size) signed at "
                          + "\(cp.time.rfc3339), older than \(what): an older copy of the anchor",
                          hint: "put back the anchor's latest copy; only if this data directory is surely the latest, move "
                              + "\(file.path) aside and start once with --create-anchor")
    }

    /// The size of the checkpoint before the latest, if the log has two. The table is not
    /// trusted here: the log check that follows refuses one with checkpoints removed.
    private func previousCheckpointSize() throws -> UInt64? {
        let s = try db.statement("SELECT DISTINCT size FROM audit_checkpoints ORDER BY size DESC LIMIT 2")
        defer { db.resetStatements() }
        var sizes = [UInt64]()
        while try s.step() { sizes.append(UInt64(clamping: s.int64(0))) }
        return sizes.count == 2 ? sizes[1] : nil
    }
}
