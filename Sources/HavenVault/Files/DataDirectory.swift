import Glibc
import HavenCore
import HavenStore

/// The vault's data directory and the files in it (FORMAT.md, "data directory").
///
///     DIR/            0700, owned by the daemon's user
///       root.key      0600  the root key (`--seal file`), unless kept elsewhere with
///                           --root-key (off the disk and its backups); or, for a sealed vault:
///       root.passphrase 0600  the root key sealed under a passphrase (`--seal passphrase`)
///       root.shares   0600  the check values of the shares that open it (`--seal shares`)
///       haven.db      0600  SQLite database (+ -wal, -shm), every sensitive value sealed
///       vault.pub     0644  the vault's Ed25519 public key, for offline verification
///       havend.lock   0600  flock'd by the running daemon
public struct DataDirectory: Sendable {
    public let path: String
    /// Where the root key file is: DIR/root.key unless given.
    public let rootKeyPath: String

    public init(_ path: String, rootKey: String? = nil) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.rootKeyPath = rootKey.map(Self.absolute) ?? self.path + "/root.key"
    }

    /// Where the root key is unless kept elsewhere.
    public var defaultRootKeyPath: String { path + "/root.key" }

    /// A relative --root-key is taken from the working directory now, so the path printed and
    /// checked is the one a service (whose working directory is /) must be given.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (cwd == "/" ? "" : cwd) + "/" + path
    }

    public var passphraseSealPath: String { path + "/root.passphrase" }
    public var shareSetPath: String { path + "/root.shares" }

    /// How the root key is kept, from the files present: a sealed vault's seal file is in
    /// the directory, the root key of one that is not is at `rootKeyPath`.
    public var sealMode: SealMode {
        if Self.exists(passphraseSealPath) { return .passphrase }
        if Self.exists(shareSetPath) { return .shares }
        return .file
    }

    public var databasePath: String { path + "/" + Database.fileName }
    /// The database and the WAL and shared-memory files SQLite keeps beside it: whatever
    /// checks or removes the database must take all three.
    public var databaseFiles: [String] { [databasePath, databasePath + "-wal", databasePath + "-shm"] }
    public var vaultPublicKeyPath: String { path + "/vault.pub" }
    public var lockPath: String { path + "/havend.lock" }

    /// Refuses to serve from a directory or key file that others can reach, or that belongs
    /// to another user: the files are the vault, and loose permissions are how disks,
    /// backups and shared machines leak.
    public func checkPermissions() throws(HavenError) {
        try Self.check(path, kind: "data directory", wantDirectory: true,
                       ifMissing: "create the vault with 'haven init --data \(path) --admin-key PUB'")
        let seals = [passphraseSealPath, shareSetPath].filter(Self.exists)
        if !seals.isEmpty {
            // A root key file beside a sealed vault would make the seal pointless.
            guard seals.count == 1 else {
                throw HavenError(.ioError, "\(path) holds both a passphrase seal and a share set; a vault is sealed one way",
                                 hint: "restore the data directory from its backup")
            }
            if Self.exists(rootKeyPath) || Self.exists(defaultRootKeyPath) {
                throw HavenError(.ioError, "the vault in \(path) is sealed, yet a root key file exists (\(Self.exists(rootKeyPath) ? rootKeyPath : defaultRootKeyPath))",
                                 hint: "a root key file opens the vault without the seal: remove it with 'shred -u'")
            }
            try Self.check(seals[0], kind: "root key seal", wantDirectory: false)
            for db in databaseFiles where Self.exists(db) {
                try Self.check(db, kind: "database file", wantDirectory: false)
            }
            return
        }
        if rootKeyPath != defaultRootKeyPath && Self.exists(defaultRootKeyPath) {
            // A copy left beside the data would undo keeping the key elsewhere.
            throw HavenError(.ioError, "\(defaultRootKeyPath) exists although the root key is kept in \(rootKeyPath)",
                             hint: "remove it ('shred -u \(defaultRootKeyPath)') once the key is safe elsewhere, or start without --root-key")
        }
        try Self.check(rootKeyPath, kind: "root key file", wantDirectory: false,
                       ifMissing: "if the root key is kept elsewhere, give its path with --root-key")
        for db in databaseFiles where Self.exists(db) {
            try Self.check(db, kind: "database file", wantDirectory: false)
        }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func check(_ path: String, kind: String, wantDirectory: Bool, ifMissing hint: String? = nil) throws(HavenError) {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw HavenError(.ioError, "\(kind) \(path) is missing or unreadable (\(String(cString: strerror(errno))))", hint: hint)
        }
        let type = st.st_mode & S_IFMT
        guard type == (wantDirectory ? S_IFDIR : S_IFREG) else {
            throw HavenError(.ioError, "\(kind) \(path) is not a \(wantDirectory ? "directory" : "regular file")")
        }
        guard st.st_uid == geteuid() else {
            throw HavenError(.ioError, "\(kind) \(path) is owned by uid \(st.st_uid), not by this user (uid \(geteuid()))",
                             hint: "run havend as the vault's owner, or chown the data directory to the daemon's user")
        }
        let mode = st.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw HavenError(.ioError, "\(kind) \(path) is accessible by group or others (mode \(String(mode, radix: 8)))",
                             hint: "run 'chmod \(wantDirectory ? "700" : "600") \(path)'")
        }
    }
}
