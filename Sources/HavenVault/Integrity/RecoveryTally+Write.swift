import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

extension RecoveryTally {
    /// Replaces the tally: a temporary file, flushed, renamed over the old one (as the
    /// anchor), so a crash leaves the old tally or the new one.
    public func write(vault: VaultID, signer: SigningKey) throws(HavenError) {
        try stage(vault: vault, signer: signer).place()
    }

    /// A tally written and flushed beside the anchor under a temporary name, not yet in force.
    public struct Staged: Sendable {
        let temporary: String, path: String

        /// Renames it over the tally.
        public func place() throws(HavenError) {
            guard rename(temporary, path) == 0 else { throw HavenError(.ioError, "cannot write \(path)") }
        }

        /// Removes it, leaving the tally there was.
        public func discard() { unlink(temporary) }
    }

    /// Writes the tally under a temporary name; `Staged.place` puts it in force.
    func stage(vault: VaultID, signer: SigningKey) throws(HavenError) -> Staged {
        var w = words
        w[1] = vault.rawValue
        let line = Array((w + [Base64.encode(signer.sign(message(vault: vault)))]).joined(separator: " ").utf8) + [0x0A]
        let temporary = path + ".new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let n = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let flushed = n == line.count && fsync(fd) == 0
        close(fd)
        guard flushed else { throw HavenError(.ioError, "cannot write \(temporary)") }
        return Staged(temporary: temporary, path: path)
    }

    /// The tally of the log's first `size` entries: the previous tally's counts plus the
    /// entries since it, or the whole log counted when there is no usable previous tally.
    static func counted(upTo size: UInt64, previous: RecoveryTally?, on db: Connection) throws -> Counts {
        if let previous, previous.size <= size {
            return try previous.counts.adding(range: previous.size..<size, on: db)
        }
        return try Counts().adding(range: 0..<size, on: db)
    }

    /// The hook at each anchor write (`AnchorKeeper`, on the writer thread, after the
    /// commit): makes the journal with the first tally and brings the tally up to the
    /// checkpoint. The failure is returned, never only logged: the keeper then refuses
    /// changes as for an anchor it cannot write (a cut journal must not be signed over).
    static func anchored(_ checkpoint: SignedCheckpoint, anchor: AnchorFile, db: Connection, keys: VaultKeys,
                         creating: Bool = false) -> HavenError? {
        do {
            try RecoveryTally(anchor: anchor).next(to: checkpoint.checkpoint.size, journal: RecoveryJournal(anchor: anchor), db: db,
                                                  keys: keys, now: checkpoint.checkpoint.time, creating: creating)
                .write(vault: keys.vaultID, signer: keys.signingKey)
            return nil
        } catch let error as HavenError {
            return error
        } catch {
            return HavenError(.ioError, "the recovery tally could not be counted: \(error)")
        }
    }

    /// The tally counted up to `size` with the journal's current length and head; `fresh`
    /// counts from the whole log, not the tally before (a restored timeline, whose journal
    /// the restore has just read and checked whole).
    ///
    /// Invariant: a tally is only ever signed over a journal that still holds, at the
    /// previous tally's length, the line the previous tally named — so a journal cut at a
    /// line boundary, deleted or made again is refused, never taken as the new truth. Only
    /// the tail is read (one line), not the whole journal. The journal is made only with
    /// the first tally (the first anchor, or an anchor of a release before the journal) —
    /// never for a data directory that has anchored with this release already (its signed
    /// mark, `AnchoredMark`, is written only after a tally): there, a journal and tally both
    /// gone were deleted, unless the operator is creating the anchor anew (`creating`).
    func next(to size: UInt64, journal: RecoveryJournal, db: Connection, keys: VaultKeys, now: Timestamp,
              fresh: Bool = false, creating: Bool = false) throws -> RecoveryTally {
        var tally = self
        let previous = fresh ? nil : try read(vault: keys.vaultID, key: keys.publicKey)
        let current = journal.size()
        if let previous {
            try journal.check(previous.journalBytes, head: previous.journalHead, current: current)
        } else if !fresh, let current, current > 0, try !journal.headerOnly() {
            // A journal of acts with no tally: the tally was deleted (the journal may be cut too).
            throw HavenError(.integrityError, "\(path) is missing beside the journal \(journal.path), which cannot then be shown uncut",
                             hint: Self.hint)
        }
        if previous == nil, !fresh, !creating, try AnchoredMark.read(on: db, vault: keys.vaultID, key: keys.publicKey) != nil {
            throw HavenError(.integrityError, "\(path) is missing, yet this data directory anchored a checkpoint with its tally "
                             + "before: the journal's acts since could not be shown whole", hint: Self.hint
                             + "; if they are lost, move the anchor aside and start once with --create-anchor (a restore then "
                             + "applies nothing journaled before)")
        }
        if current == nil || current == 0 {
            guard previous == nil else { throw HavenError(.integrityError, "the recovery journal \(journal.path) is missing", hint: Self.hint) }
            try journal.create(vault: keys.vaultID, signer: keys.signingKey, now: now)
        }
        tally.counts = try Self.counted(upTo: size, previous: previous, on: db)
        tally.size = size
        (tally.journalBytes, tally.journalHead) = try journal.head()
        return tally
    }
}
