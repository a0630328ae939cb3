import HavenAudit
import HavenBackup
import HavenCore
import HavenCrypto

/// What a restore finds beside the anchor (`havend restore --anchor FILE`), all of it read
/// and checked before anything is written: the anchor's checkpoint, the recovery journal,
/// the erasure list of earlier releases and the tally.
public struct RestoreAnchor: Sendable {
    public let anchor: AnchorFile
    /// Nil when the anchor file does not exist.
    public let checkpoint: SignedCheckpoint?
    public let journal: RecoveryJournal.Contents
    public let erasures: [ErasureList.Entry]
    public let tally: RecoveryTally?

    /// Reads and checks everything beside `anchor` against the archive's vault key. A
    /// journal shorter than the tally says it was is refused: lines were cut from its end.
    /// `withoutJournal` (the operator's `--without-journal`) accepts a missing journal or tally.
    public static func read(_ anchor: AnchorFile, header: BackupHeader, withoutJournal: Bool = false) throws(HavenError) -> RestoreAnchor {
        let key: PublicKey
        do { key = try PublicKey(bytes: header.vaultPublicKey) } catch { throw HavenError(.invalidDocument, "the archive's vault key is damaged") }
        let vault = header.vaultID
        let checkpoint: SignedCheckpoint?
        do { checkpoint = try anchor.read(vault: vault, key: key) } catch {
            throw HavenError(.integrityError, "refusing to restore: the anchor \(anchor.path) is not a checkpoint signed by the archive's vault",
                             hint: "give the anchor file of the vault this archive was made of")
        }
        let journal = try RecoveryJournal(anchor: anchor).read(vault: vault, key: key)
        let erasures = try ErasureList(anchor: anchor).read(vault: vault, key: key)
        let tally = try RecoveryTally(anchor: anchor).read(vault: vault, key: key)
        let hint = "restore the journal and tally from their copy on the backup drive, then restore again"
        if let tally, tally.journalBytes > journal.bytes {
            throw HavenError(.integrityError, "\(anchor.path).journal has \(journal.bytes) bytes, but the tally beside it counted "
                             + "\(tally.journalBytes): lines were removed from its end", hint: hint)
        }
        if let tally, tally.journalBytes > 0, !tally.journalHead.isEmpty, journal.heads[tally.journalBytes] != tally.journalHead {
            throw HavenError(.integrityError, "\(anchor.path).journal no longer has at byte \(tally.journalBytes) the line the tally "
                             + "beside it named: lines were removed or replaced", hint: hint)
        }
        // Both made from the first anchor on: one missing beside an anchor was deleted, and
        // with it every act since the archive would be undone without a word.
        if checkpoint != nil, !withoutJournal, tally == nil || !journal.exists {
            let missing = journal.exists ? "\(anchor.path).tally" : "\(anchor.path).journal"
            throw HavenError(.notFound, "refusing to restore: \(missing) is missing beside the anchor, so the acts since the archive "
                             + "cannot be applied again or shown complete",
                             hint: "put it back from the backup drive, or give --without-journal to restore without re-applying them")
        }
        return RestoreAnchor(anchor: anchor, checkpoint: checkpoint, journal: journal, erasures: erasures, tally: tally)
    }

    /// Why the archive is older than the anchor, or nil when it is not: the anchor's log is
    /// longer, or was signed after the archive was made. No anchor at all cannot show that
    /// the archive is the latest, so it counts as older.
    public func older(than header: BackupHeader) -> String? {
        guard let cp = checkpoint?.checkpoint else { return "the anchor does not exist, so nothing shows this archive is the latest" }
        if cp.size > header.auditSize || cp.time > header.createdAt {
            return "the anchor's log has \(cp.size) entries at \(cp.time.rfc3339); the archive's \(header.auditSize) at \(header.createdAt.rfc3339)"
        }
        return nil
    }

    /// Audit entries the anchor's log had beyond the archive's.
    public func entriesLost(_ header: BackupHeader) -> UInt64 {
        guard let size = checkpoint?.checkpoint.size, size > header.auditSize else { return 0 }
        return size - header.auditSize
    }

    /// What was made after the archive and is lost, by count: the tally beside the anchor
    /// less the archive's own counts; nil without a tally.
    public func lost(archived: RecoveryTally.Counts) -> RecoveryTally.Counts? {
        tally.map { $0.counts.since(archived) }
    }
}
