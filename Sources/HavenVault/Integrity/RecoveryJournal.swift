import Glibc
import HavenCore
import HavenCrypto

/// `ANCHOR.journal`: every "no" since the vault's anchor was made — consent withdrawn, user
/// revoked, key replaced, referral revoked, record erased — kept beside the anchor, outside
/// the data directory, so that `havend restore --anchor FILE` applies again, in order, each
/// one made after the archive (`BackupService.recordRestore`).
///
/// Why signed: a line slipped into the file would otherwise withdraw a consent or erase a
/// record at the next restore. Why chained (each line's signature covers the hash of the
/// line before): a line removed from the middle would otherwise bring its "no" back
/// unnoticed. A removed tail is caught against the tally (`RecoveryTally.journalBytes`). A
/// damaged journal is an error, never half applied. Format: Sources/HavenBackup/FORMAT.md.
public struct RecoveryJournal: Sendable {
    public let path: String
    static let headerWord = "haven-journal-v1"

    public init(anchor: AnchorFile) {
        path = anchor.path + ".journal"
    }

    /// The hash a line passes to the next: BLAKE2b-256 of its bytes, without the newline.
    static func hash(_ line: some Collection<UInt8>) -> [UInt8] { BLAKE2b.hash(Array(line), outputBytes: 32) }

    static func headerLine(vault: VaultID, created: Timestamp, signer: SigningKey) -> [UInt8] {
        let ms = String(created.millisecondsSinceEpoch)
        let signature = signer.sign(Array("\(headerWord)\n\(vault)\n\(ms)\n".utf8))
        return Array("\(headerWord) \(vault) \(ms) \(Base64.encode(signature))".utf8)
    }

    static func line(_ act: RecoveryAct, vault: VaultID, previous: [UInt8], signer: SigningKey) -> [UInt8] {
        let signature = signer.sign(RecoveryAct.message(act.words, vault: vault, previous: previous))
        return Array((act.words + [Base64.encode(previous), Base64.encode(signature)]).joined(separator: " ").utf8)
    }

    /// Creates the journal with its signed header if it does not exist yet; the anchor's
    /// first write calls this, so the weekly copy finds the file from the first day.
    public func create(vault: VaultID, signer: SigningKey, now: Timestamp) throws(HavenError) {
        try withLockedFile { fd, size throws(HavenError) in
            if size == 0 { try Self.put(fd, Self.headerLine(vault: vault, created: now, signer: signer) + [0x0A], path: path) }
        }
    }

    /// Appends one act, signed and chained to the line before, and flushes it. Called after
    /// the act committed: a line for an act that never happened would be applied at restore.
    public func append(_ act: RecoveryAct, vault: VaultID, signer: SigningKey) throws(HavenError) {
        try withLockedFile { fd, size throws(HavenError) in
            var out = [UInt8]()
            var previous: [UInt8]
            if size == 0 {
                let header = Self.headerLine(vault: vault, created: act.when, signer: signer)
                out = header + [0x0A]
                previous = Self.hash(header)
            } else {
                previous = Self.hash(try lastLine(fd, size: size))
            }
            out += Self.line(act, vault: vault, previous: previous, signer: signer) + [0x0A]
            try Self.put(fd, out, path: path)
        }
    }

    /// The file opened for appending under an exclusive lock (appenders run on several
    /// threads), with its size; the directory is flushed when the file is new.
    private func withLockedFile(_ body: (Int32, Int) throws(HavenError) -> Void) throws(HavenError) {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw HavenError(.ioError, "cannot lock \(path)") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw HavenError(.ioError, "cannot read \(path)") }
        try body(fd, Int(st.st_size))
        if st.st_size == 0 {
            let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
            let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirfd >= 0 {
                _ = fsync(dirfd)
                close(dirfd)
            }
        }
    }

    private static func put(_ fd: Int32, _ bytes: [UInt8], path: String) throws(HavenError) {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count, fsync(fd) == 0 else { throw HavenError(.ioError, "cannot write \(path)") }
    }

    /// The last whole line; a file that does not end with a newline (a torn write) is refused
    /// rather than extended, since the next line would chain to half a line.
    private func lastLine(_ fd: Int32, size: Int) throws(HavenError) -> ArraySlice<UInt8> {
        let window = min(size, 16 * 1024)
        var tail = [UInt8](repeating: 0, count: window)
        let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size - window)) }
        guard n == window, tail.last == 0x0A else {
            throw HavenError(.integrityError, "\(path) does not end with a whole line", hint: "look at the journal before the next change")
        }
        let body = tail.dropLast()
        guard let start = body.lastIndex(of: 0x0A).map({ $0 + 1 }) ?? (window == size ? 0 : nil) else {
            throw HavenError(.integrityError, "\(path): the last line is too long")
        }
        return body[start...]
    }
}
