import Glibc
import HavenCore
import HavenCrypto

/// The files that keep a vault's root key, for each way of sealing it (`SealMode`):
/// written at init, read at start (a file) or at unseal (a passphrase, shares).
public enum RootKeyCustody {
    /// How to keep a new root key.
    public enum Seal: Sendable {
        /// DIR/root.key, or the `--root-key` path: the daemon opens the vault at start.
        case file
        /// DIR/root.passphrase: sealed under a passphrase through Argon2id.
        case passphrase(SecureBytes, cost: PassphraseSeal.Cost)
        /// `count` share files in `directory`, any `threshold` of which open the vault, and
        /// DIR/root.shares, their check values.
        case shares(threshold: Int, count: Int, directory: String)
    }

    /// Writes `root`'s files as `seal` says, each new (never over an existing file) and 0600.
    /// Returns the paths of the share files, for the operator to hand out.
    public static func write(_ root: RootKey, vault: VaultID, seal: Seal, directory: DataDirectory) throws -> [String] {
        switch seal {
        case .file:
            try root.withUnsafeBytes { raw in
                try KeyFileFormat.encode(kind: .rootKey, key: raw).withUnsafeBytes { file in
                    try KeyFiles.create(path: directory.rootKeyPath, contents: file, mode: 0o600)
                }
            }
            return []
        case .passphrase(let passphrase, let cost):
            let sealed: PassphraseSeal
            do {
                sealed = try PassphraseSeal.seal(root, passphrase: passphrase, vault: vault, cost: cost)
            } catch {
                throw HavenError(.internalError, "cannot seal the root key under the passphrase: \(error)")
            }
            try writeKeyFile(.rootKeyPassphrase, sealed.bytes, to: directory.passphraseSealPath)
            return []
        case .shares(let threshold, let count, let out):
            guard count <= Shamir.maximumShares, threshold >= 2, threshold <= count else {
                throw HavenError(.invalidValue, "--threshold must be from 2 to --shares, and --shares at most \(Shamir.maximumShares)")
            }
            let secret = try copy(root)
            let shares = try Shamir.split(secret, threshold: threshold, count: count).map { (s) throws(HavenError) in
                try ShareFile(share: s, vault: vault, threshold: threshold, count: count)
            }
            try makeShareDirectory(out)
            var written = [String]()
            for share in shares {
                let path = out + "/" + sharePath(vault: vault, index: Int(share.index), count: count)
                do {
                    try writeKeyFile(.rootKeyShare, share.bytes, to: path)
                } catch {
                    for p in written { unlink(p) }
                    throw error
                }
                written.append(path)
            }
            let set = try ShareSet(shares: shares).bytes
            let encoded = set.withUnsafeBytes { KeyFileFormat.encode(kind: .rootShareSet, key: $0) }
            try encoded.withUnsafeBytes { b in try KeyFiles.create(path: directory.shareSetPath, contents: b, mode: 0o600) }
            return written
        }
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

    /// A custodian's share file, checked on its own (the set checks it belongs).
    public static func readShare(path: String) throws(HavenError) -> ShareFile {
        try ShareFile(bytes: try KeyFiles.readSecret(kind: .rootKeyShare, path: path), what: path)
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
