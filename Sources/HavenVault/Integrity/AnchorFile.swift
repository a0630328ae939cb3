import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenSystem

/// `havend --anchor FILE`: the latest signed checkpoint, kept outside the data directory
/// (beside the root key, on another volume), rewritten after every checkpoint commits.
///
/// Why: everything in the data directory can be replaced by an older copy of itself, and
/// an older copy is consistent — its log verifies, its checkpoints are genuine. Only
/// something kept elsewhere can say "the log was already this long". At start havend
/// refuses a log that does not extend the anchor: shorter than it, or with another root
/// at its size. It fails closed: a configured anchor that is missing, unreadable or
/// cannot be written refuses the start (`checkUsable`), and creating one is an explicit
/// step (`havend --create-anchor`) — an anchor silently made anew would vouch for
/// whatever data directory it found.
public struct AnchorFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = DataDirectory.absolute(path)
    }

    /// What the anchor holds now; nil when the file does not exist (`checkUsable` has refused
    /// that unless it is being created). Anything else unreadable is an error: an anchor that
    /// cannot be read must not be mistaken for none.
    public func read(vault: VaultID, key: PublicKey) throws(HavenError) -> SignedCheckpoint? {
        var st = stat()
        if stat(path, &st) != 0 && errno == ENOENT { return nil }
        var bytes = try KeyFiles.readSmallFile(path, limit: 64 * 1024)
        while bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        let checkpoint: SignedCheckpoint
        do {
            checkpoint = try SignedCheckpoint(json: bytes)
            try checkpoint.verify(with: key, vault: vault)
        } catch {
            throw HavenError(.integrityError, "refusing to start: the anchor \(path) is not a checkpoint signed by this vault (\(error.message))",
                             hint: "give the anchor file of this vault")
        }
        return checkpoint
    }

    /// Replaces the anchor with `checkpoint`: written to a temporary file, flushed, renamed
    /// over the old one and the directory flushed, so a crash leaves the old anchor or the
    /// new one, never a torn file.
    public func write(_ checkpoint: SignedCheckpoint) throws(HavenError) {
        let temporary = path + ".new"
        let bytes = checkpoint.canonicalJSON() + [UInt8(ascii: "\n")]
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create \(temporary)") }
        var written = 0
        while written < bytes.count {
            let n: Int
            do {
                n = try systemCall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) } }
            } catch {
                close(fd)
                throw HavenError(.ioError, "cannot write \(temporary): \(error.reason)")
            }
            guard n > 0 else {
                close(fd)
                throw failure("write \(temporary)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            close(fd)
            throw failure("flush \(temporary)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw failure("rename \(temporary) to \(path)") }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Whether the file is there now (a volume unmounted under it takes it away).
    public var exists: Bool { access(path, F_OK) == 0 }

    /// The directory the anchor is written in (a temporary file, then a rename).
    public var directory: String {
        let d = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return d.isEmpty ? "/" : d
    }

    /// Refuses to start on an anchor that cannot do its work: its directory missing (a
    /// volume not mounted) or not writable, or the file missing (unless `creating`) or
    /// unreadable. Checked before anything else, and again as the vault opens.
    public func checkUsable(creating: Bool) throws(HavenError) {
        var st = stat()
        guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw HavenError(.ioError, "refusing to start: the directory of the anchor \(path) does not exist",
                             hint: "mount the volume that holds it, or give the right --anchor path")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw HavenError(.ioError, "refusing to start: the directory of the anchor \(path) is not writable, so the anchor "
                             + "could not be kept up to date", hint: "let the daemon's user write \(directory)")
        }
        if stat(path, &st) != 0 {
            if creating && errno == ENOENT { return }
            throw HavenError(.ioError, "refusing to start: the anchor \(path) is missing",
                             hint: "put back its latest copy, or give the right --anchor path; if this vault never had one, "
                                 + "start once with --create-anchor")
        }
        guard access(path, R_OK) == 0 else {
            throw HavenError(.ioError, "refusing to start: the anchor \(path) is not readable",
                             hint: "let the daemon's user read it")
        }
    }

    /// `--create-anchor` makes the first anchor only: an existing one is what tells an older
    /// copy of the data directory, and is never replaced by a flag.
    public func checkAbsent() throws(HavenError) {
        var st = stat()
        guard stat(path, &st) != 0 && errno == ENOENT else {
            throw HavenError(.conflict, "refusing --create-anchor: the anchor \(path) already exists",
                             hint: "start without --create-anchor; to make a new one, move the old one aside first")
        }
    }

    private func failure(_ what: String) -> HavenError {
        HavenError(.ioError, "cannot \(what): \(String(cString: strerror(errno)))")
    }

    /// Refuses an anchor inside the data directory: replacing the directory with an older
    /// copy would replace the anchor with its older copy too.
    public func checkOutside(_ directory: DataDirectory) throws(HavenError) {
        let dir = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
        if path.hasPrefix(dir) {
            throw HavenError(.ioError, "the anchor \(path) is inside the data directory \(directory.path)",
                             hint: "keep it where a copy of the data directory cannot replace it, e.g. beside the root key")
        }
    }
}
