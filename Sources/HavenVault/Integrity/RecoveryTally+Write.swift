import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

extension RecoveryTally {
    /// Replaces the tally: a temporary file, flushed, renamed over the old one (as the
    /// anchor), so a crash leaves the old tally or the new one.
    public func write(vault: VaultID, signer: SigningKey) throws(HavenError) {
        let line = Array(([Self.word, vault.rawValue, String(size), String(journalBytes)] + counts.all.map(String.init)
            + [Base64.encode(signer.sign(message(vault: vault)))]).joined(separator: " ").utf8) + [0x0A]
        let temporary = path + ".new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let n = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let flushed = n == line.count && fsync(fd) == 0
        close(fd)
        guard flushed, rename(temporary, path) == 0 else { throw HavenError(.ioError, "cannot write \(path)") }
    }

    /// The tally of the log's first `size` entries: the previous tally's counts plus the
    /// entries since it, or the whole log counted when there is no usable previous tally.
    static func counted(upTo size: UInt64, previous: RecoveryTally?, on db: Connection) throws -> Counts {
        if let previous, previous.size <= size {
            return try previous.counts.adding(range: previous.size..<size, on: db)
        }
        return try Counts().adding(range: 0..<size, on: db)
    }

    /// The hook at each anchor write (`WriteQueue`, on the writer thread, after the commit):
    /// makes the journal if it is not there yet and brings the tally up to the checkpoint.
    /// A failure is logged as critical, as the anchor's own: the next checkpoint tries again.
    static func anchored(_ checkpoint: SignedCheckpoint, anchor: AnchorFile, db: Connection, keys: VaultKeys, logger: Logger) {
        do {
            let journal = RecoveryJournal(anchor: anchor)
            try journal.create(vault: keys.vaultID, signer: keys.signingKey, now: checkpoint.checkpoint.time)
            try RecoveryTally(anchor: anchor).update(to: checkpoint.checkpoint.size, journal: journal, db: db, keys: keys)
        } catch let error as HavenError {
            logger.critical("the recovery journal or tally beside the anchor could not be written", metadata: ["error": "\(error.message)"])
        } catch {
            logger.critical("the recovery tally could not be counted", metadata: ["error": "\(error)"])
        }
    }

    /// Counts up to `size` from the whole log, not the tally before (a restored timeline).
    func fresh(to size: UInt64, journal: RecoveryJournal, db: Connection, keys: VaultKeys) throws {
        try update(to: size, journal: journal, db: db, keys: keys, fresh: true)
    }

    /// Counts up to `size` and rewrites the tally with the journal's current length.
    func update(to size: UInt64, journal: RecoveryJournal, db: Connection, keys: VaultKeys, fresh: Bool = false) throws {
        var tally = self
        let previous = fresh ? nil : try? read(vault: keys.vaultID, key: keys.publicKey)
        tally.counts = try Self.counted(upTo: size, previous: previous, on: db)
        tally.size = size
        var st = stat()
        tally.journalBytes = stat(journal.path, &st) == 0 ? Int(st.st_size) : 0
        try tally.write(vault: keys.vaultID, signer: keys.signingKey)
    }
}
