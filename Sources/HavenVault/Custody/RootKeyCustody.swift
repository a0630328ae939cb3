import Glibc
import HavenCore
import HavenCrypto
import HavenStore

/// The files that keep a vault's root key, for each way of sealing it (`SealMode`):
/// written at init, read at start (a file) or at unseal (a passphrase, shares).
public enum RootKeyCustody {
    /// How to keep a new root key.
    public enum Seal: Sendable {
        /// DIR/root.key, or the `--root-key` path: the daemon opens the vault at start.
        case file
        /// DIR/root.passphrase: sealed under a passphrase through Argon2id.
        case passphrase(SecureBytes, cost: PassphraseSeal.Cost)
        /// `count` share files in `directory`, any `threshold` of which open the vault, share
        /// `i + 1` sealed to `custodians[i]`, and DIR/root.shares, their check values and the
        /// custodians' public keys.
        case shares(threshold: Int, count: Int, directory: String, custodians: [PublicKey])
    }

    /// Writes `root`'s files as `seal` says, each new (never over an existing file) and 0600.
    /// Returns the paths of the share files, for the operator to hand out.
    public static func write(_ root: RootKey, vault: VaultID, seal: Seal, directory: DataDirectory) throws -> [String] {
        let prepared = try prepare(root, vault: vault, seal: seal)
        var written = [String]()
        if case .shares(_, let count, let out, _) = seal {
            try makeShareDirectory(out)
            for share in prepared.shares {
                let path = out + "/" + sharePath(vault: vault, index: Int(share.index), count: count)
                do {
                    try StoredShare.write(share, to: path)
                } catch {
                    for p in written { unlink(p) }
                    throw error
                }
                written.append(path)
            }
        }
        let mode: SealMode = switch seal {
        case .file: .file
        case .passphrase: .passphrase
        case .shares: .shares
        }
        try writeKeyFile(prepared.kind, prepared.content, to: currentPath(directory, mode))
        return written
    }

    // MARK: rotation

    /// A new root key's custody, made in memory: the key file's or seal file's content, its
    /// digest for `vault_meta.custody` (sealed modes), the share files, each sealed to its
    /// custodian, and the unsealer the daemon checks offers against once it is in force.
    public struct Prepared: Sendable {
        let kind: KeyFileKind
        let content: SecureBytes
        public let custody: [UInt8]?
        public let shares: [SealedShareFile]
        public let unsealer: Unsealer.Custody?
    }

    /// The custody of `root` for `seal`, nothing written yet (Argon2id runs here for a passphrase).
    public static func prepare(_ root: RootKey, vault: VaultID, seal: Seal) throws(HavenError) -> Prepared {
        switch seal {
        case .file:
            return Prepared(kind: .rootKey, content: try copy(root), custody: nil, shares: [], unsealer: nil)
        case .passphrase(let passphrase, let cost):
            let sealed: PassphraseSeal
            do {
                sealed = try PassphraseSeal.seal(root, passphrase: passphrase, vault: vault, cost: cost)
            } catch {
                throw HavenError(.internalError, "cannot seal the new root key under the passphrase: \(error)")
            }
            return Prepared(kind: .rootKeyPassphrase, content: sealed.bytes,
                            custody: sealed.bytes.withUnsafeBytes { BLAKE2b.digest256($0).bytes }, shares: [],
                            unsealer: .passphrase(sealed))
        case .shares(let threshold, let count, _, let custodians):
            guard count <= Shamir.maximumShares, threshold >= 2, threshold <= count else {
                throw HavenError(.invalidValue, "the threshold must be from 2 to the number of shares, at most \(Shamir.maximumShares)")
            }
            guard custodians.count == count else {
                throw HavenError(.invalidValue, "\(count) shares need \(count) custodian keys, one each; \(custodians.count) given",
                                 hint: "give --custodian-key PUB once for each custodian")
            }
            guard Set(custodians).count == count else {
                throw HavenError(.invalidValue, "a custodian key is given twice: one person would hold two shares",
                                 hint: "give each custodian's own public key once")
            }
            let shares = try Shamir.split(try copy(root), threshold: threshold, count: count).map { (s) throws(HavenError) in
                try ShareFile(share: s, vault: vault, threshold: threshold, count: count)
            }
            let set = try ShareSet(shares: shares, custodians: custodians, root: root)
            // Sealed here: no share leaves this process in clear.
            let sealed = try zip(shares, custodians).map { (s, c) throws(HavenError) in try SealedShareFile(sealing: s, to: c) }
            let bytes = set.bytes
            guard let content = try? SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) }) else {
                throw HavenError(.internalError, "cannot hold the share set")
            }
            return Prepared(kind: .rootShareSet, content: content, custody: BLAKE2b.digest256(bytes.withUnsafeBytes { $0 }).bytes,
                            shares: sealed, unsealer: .shares(set))
        }
    }

    /// Writes a prepared custody file beside the current one, with the suffix `.new`, and
    /// flushes the directory, before a rotation commits (`RootRotation`): after a power cut
    /// the file the database is under is there.
    public static func writePending(_ prepared: Prepared, mode: SealMode, directory: DataDirectory) throws(HavenError) {
        let path = currentPath(directory, mode) + pendingSuffix
        unlink(path)
        do {
            try writeKeyFile(prepared.kind, prepared.content, to: path)
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.ioError, "cannot write \(path): \(error)")
        }
        syncDirectory(of: path)
    }

    static let pendingSuffix = ".new"

    /// The current key file or seal file of `mode`.
    static func currentPath(_ directory: DataDirectory, _ mode: SealMode) -> String {
        switch mode {
        case .file: return directory.rootKeyPath
        case .passphrase: return directory.passphraseSealPath
        case .shares: return directory.shareSetPath
        }
    }

    /// After the rotation committed: the new file takes the old one's place (rename, then
    /// the directory flushed).
    public static func promotePending(_ directory: DataDirectory, mode: SealMode) throws(HavenError) {
        let path = currentPath(directory, mode)
        guard rename(path + pendingSuffix, path) == 0 else {
            throw HavenError(.ioError, "cannot put \(path)\(pendingSuffix) in place of \(path): \(String(cString: strerror(errno)))",
                             hint: "havend does it at its next start")
        }
        syncDirectory(of: path)
    }

    /// After a rotation failed: the new file goes.
    public static func discardPending(_ directory: DataDirectory, mode: SealMode) {
        unlink(currentPath(directory, mode) + pendingSuffix)
    }

    /// At start, before the root key is read: a rotation a crash interrupted is finished or
    /// undone — the `.new` file is kept if the database was rotated to it, removed if not —
    /// so the vault opens with the one key the database is under. Returns what was done.
    public static func recover(_ directory: DataDirectory) throws -> String? {
        let mode = directory.sealMode
        guard exists(currentPath(directory, mode) + pendingSuffix) else { return nil }
        let db = try Database.open(path: directory.databasePath)
        defer { db.resetStatements() }
        return try recover(directory, meta: try VaultMetaTable.read(on: db), custody: try VaultMetaTable.custody(on: db))
    }

    private static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func recover(_ directory: DataDirectory, meta: VaultMeta, custody: [UInt8]?) throws(HavenError) -> String? {
        let mode = directory.sealMode
        let path = currentPath(directory, mode)
        let pending = path + pendingSuffix
        var st = stat()
        guard lstat(pending, &st) == 0 else { return nil }
        let rotated: Bool
        switch mode {
        case .file:
            // The database is under the key that opens its sealed signing key.
            func opens(_ p: String) -> Bool {
                guard let material = try? KeyFiles.readSecret(kind: .rootKey, path: p), let root = try? RootKey(material: material) else { return false }
                return (try? SigningKeySeal.open(meta.sealedSigningKey, vault: meta.vaultID, rootKey: root)) != nil
            }
            rotated = !opens(path) && opens(pending)
        case .passphrase, .shares:
            // A file cut short by a crash cannot be what the database committed to.
            let kind: KeyFileKind = mode == .passphrase ? .rootKeyPassphrase : .rootShareSet
            let bytes = try? KeyFiles.readSecret(kind: kind, path: pending)
            rotated = custody != nil && bytes?.withUnsafeBytes { BLAKE2b.digest256($0).bytes } == custody
        }
        if rotated {
            try promotePending(directory, mode: mode)
            return "finished a root key rotation a stop interrupted: \(pending) now in place"
        }
        unlink(pending)
        return "removed \(pending), left by a root key rotation that did not complete; the previous key still opens the vault"
    }

    private static func syncDirectory(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// The root key of a vault kept in a file.
    public static func readFile(_ directory: DataDirectory) throws(HavenError) -> RootKey {
        let material = try KeyFiles.readSecret(kind: .rootKey, path: directory.rootKeyPath)
        do {
            return try RootKey(material: material)
        } catch {
            throw HavenError(.invalidKey, "\(directory.rootKeyPath) is not a root key")
        }
    }

    public static func readPassphraseSeal(_ directory: DataDirectory) throws(HavenError) -> PassphraseSeal {
        let bytes = try KeyFiles.readSecret(kind: .rootKeyPassphrase, path: directory.passphraseSealPath)
        do {
            return try PassphraseSeal(bytes: bytes)
        } catch {
            throw HavenError(.invalidKey, "\(directory.passphraseSealPath): \(error)")
        }
    }

    public static func readShareSet(_ directory: DataDirectory) throws(HavenError) -> ShareSet {
        let bytes = try KeyFiles.readSecret(kind: .rootShareSet, path: directory.shareSetPath)
        return try ShareSet(bytes: bytes.withUnsafeBytes { Array($0) })
    }

    /// A custodian's share file, checked on its own (the set checks it belongs); a sealed
    /// one is opened with `key`, the custodian's own.
    public static func readShare(path: String, key: () throws(HavenError) -> SigningKey) throws(HavenError) -> ShareFile {
        try StoredShare.read(path: path).open(what: path, key: key)
    }

    /// `1f3a9c0e-share-2-of-3.key`: the vault's id begins the name, so custodians of two
    /// vaults can tell their shares apart.
    static func sharePath(vault: VaultID, index: Int, count: Int) -> String {
        "\(vault.rawValue.prefix(8))-share-\(index)-of-\(count).key"
    }

    private static func writeKeyFile(_ kind: KeyFileKind, _ bytes: SecureBytes, to path: String) throws {
        try bytes.withUnsafeBytes { raw in
            try KeyFileFormat.encode(kind: kind, key: raw).withUnsafeBytes { file in
                try KeyFiles.create(path: path, contents: file, mode: 0o600)
            }
        }
    }

    private static func copy(_ root: RootKey) throws(HavenError) -> SecureBytes {
        do {
            return try SecureBytes(count: RootKey.byteCount) { out in root.withUnsafeBytes { out.copyMemory(from: $0) } }
        } catch {
            throw HavenError(.internalError, "cannot hold the root key in protected memory")
        }
    }

    /// The share directory is created 0700 if missing; an existing one is used as it is
    /// (custodians' media may be mounted there), and the files themselves are 0600.
    private static func makeShareDirectory(_ path: String) throws(HavenError) {
        if mkdir(path, 0o700) == 0 || errno == EEXIST {
            var st = stat()
            guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
                throw HavenError(.ioError, "--share-out \(path) is not a directory")
            }
            return
        }
        throw HavenError(.ioError, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
}
