import Glibc
import HavenCore
import HavenCrypto

/// `ANCHOR.journal`: every "no" since the vault's anchor was made — consent withdrawn, user
/// revoked, key replaced, referral revoked, closed or declined, record erased — kept beside the anchor, outside
/// the data directory, so that `havend restore --anchor FILE` applies again, in order, each
/// one made after the archive (`BackupService.recordRestore`).
///
/// Why signed: a line slipped into the file would otherwise withdraw a consent or erase a
/// record at the next restore. Why chained (each line's signature covers the hash of the
/// line before): a line removed from the middle would otherwise bring its "no" back
/// unnoticed. A removed tail, or the file made again, is caught against the tally (its length
/// and last line's hash, `RecoveryTally.journalHead`), at each checkpoint and at restore. A
/// damaged journal is an error, never half applied. Format: Sources/HavenBackup/FORMAT.md.
public struct RecoveryJournal: Sendable {
    public let path: String
    let anchor: AnchorFile
    static let headerWord = "haven-journal-v1"

    public init(anchor: AnchorFile) {
        path = anchor.path + ".journal"
        self.anchor = anchor
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

    /// Creates the journal with its signed header if it does not exist yet; the first tally
    /// calls this (`RecoveryTally.update`), so the weekly copy finds the file from the first
    /// day — and never again once a tally counted it.
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
                // Made again after a tally counted it: the lines before are gone, and a fresh
                // header would hide that.
                var st = stat()
                guard stat(RecoveryTally(anchor: anchor).path, &st) != 0 else {
                    throw HavenError(.integrityError, "the recovery journal \(path) is missing or empty, but its tally is there",
                                     hint: RecoveryTally.hint)
                }
                let header = Self.headerLine(vault: vault, created: act.when, signer: signer)
                out = header + [0x0A]
                previous = Self.hash(header)
            } else {
                previous = Self.hash(try lastLine(fd, endingAt: size))
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
        try locked(fd, LOCK_EX, body)
    }

    /// The file's size, nil when it does not exist.
    func size() -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// The length and the hash of the last line (the chain head), read under a shared lock so
    /// that a line being appended is not read half written.
    func head() throws(HavenError) -> (bytes: Int, hash: [UInt8]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HavenError(.integrityError, "the recovery journal \(path) is missing", hint: RecoveryTally.hint) }
        var out = (bytes: 0, hash: [UInt8](repeating: 0, count: 32))
        try locked(fd, LOCK_SH) { fd, size throws(HavenError) in
            if size > 0 { out = (size, Self.hash(try lastLine(fd, endingAt: size))) }
        }
        return out
    }

    /// Whether the journal holds only its header (made, no act yet): the one journal a
    /// missing tally may be made for again (a crash between the two, or a restore that
    /// stopped after making it).
    func headerOnly() throws(HavenError) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var only = false
        try locked(fd, LOCK_SH) { fd, size throws(HavenError) in
            guard size > 0 else { return }
            let line = try lastLine(fd, endingAt: size)
            only = line.count + 1 == size && line.starts(with: Array((Self.headerWord + " ").utf8))
        }
        return only
    }

    /// Whether the journal still has, ending at byte `bytes`, the line whose hash is `head`
    /// (as the tally recorded): reads that one line, not the file.
    func check(_ bytes: Int, head: [UInt8], current: Int?) throws(HavenError) {
        guard bytes > 0 else { return }
        guard let current, current > 0 else {
            throw HavenError(.integrityError, "the recovery journal \(path) is missing, but its tally counted \(bytes) bytes", hint: RecoveryTally.hint)
        }
        guard current >= bytes else {
            throw HavenError(.integrityError, "the recovery journal \(path) has \(current) bytes, but its tally counted \(bytes): "
                             + "lines were removed from its end", hint: RecoveryTally.hint)
        }
        guard !head.isEmpty else { return }  // a v1 tally: its length is all it has
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))") }
        try locked(fd, LOCK_SH) { fd, _ throws(HavenError) in
            guard let line = try? lastLine(fd, endingAt: bytes), Self.hash(line) == head else {
                throw HavenError(.integrityError, "the recovery journal \(path) no longer has at byte \(bytes) the line its tally "
                                 + "named: lines were removed or replaced", hint: RecoveryTally.hint)
            }
        }
    }

    private func locked(_ fd: Int32, _ mode: Int32, _ body: (Int32, Int) throws(HavenError) -> Void) throws(HavenError) {
        defer { close(fd) }
        guard flock(fd, mode) == 0 else { throw HavenError(.ioError, "cannot lock \(path)") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw HavenError(.ioError, "cannot read \(path)") }
        try body(fd, Int(st.st_size))
        if st.st_size == 0 && mode == LOCK_EX {
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
    private func lastLine(_ fd: Int32, endingAt size: Int) throws(HavenError) -> ArraySlice<UInt8> {
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
