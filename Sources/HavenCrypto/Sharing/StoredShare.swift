import HavenCore

/// A custodian's share file as found on disk: a share sealed to its custodian (what Haven
/// writes now) or a version-1 share in clear (vaults made before custodian keys).
///
/// The file-mode rule differs by kind. A share in clear is a secret key file: refused if
/// group or others may read it, as every key file is. A sealed share opens only with its
/// custodian's own key, so its mode is not what protects it: it is read whatever its mode,
/// which lets custodians keep it on a USB stick formatted FAT or exFAT, where every file
/// shows 0755 or 0777.
public enum StoredShare: Sendable {
    case sealed(SealedShareFile)
    case plain(ShareFile)

    /// Reads the share file at `path`, either kind.
    public static func read(path: String) throws(HavenError) -> StoredShare {
        let text = try KeyFiles.readSmallFile(path, limit: KeyFiles.maximumSize)
        let label = Array((KeyFileKind.rootKeySealedShare.rawValue + ":").utf8)
        let sealed = text.split(separator: UInt8(ascii: "\n")).contains { $0.starts(with: label) }
        guard sealed else {
            return .plain(try ShareFile(bytes: try KeyFiles.readSecret(kind: .rootKeyShare, path: path), what: path))
        }
        let result = text.withUnsafeBytes { b in
            Result { () throws(CryptoError) -> SecureBytes in try KeyFileFormat.decode(kind: .rootKeySealedShare, file: b) }
        }
        let decoded: SecureBytes
        switch result {
        case .success(let d): decoded = d
        case .failure(let error): throw HavenError(.invalidKey, "\(path): \(KeyFiles.describe(error))")
        }
        return .sealed(try SealedShareFile(bytes: decoded.withUnsafeBytes { Array($0) }, what: path))
    }

    /// The share itself: a sealed one opened with `key` (asked for only then).
    public func open(what: String, key: () throws(HavenError) -> SigningKey) throws(HavenError) -> ShareFile {
        switch self {
        case .plain(let share): return share
        case .sealed(let sealed): return try sealed.open(with: try key(), what: what)
        }
    }

    public var vault: VaultID {
        switch self {
        case .plain(let s): return s.vault
        case .sealed(let s): return s.vault
        }
    }

    public var index: UInt8 {
        switch self {
        case .plain(let s): return s.index
        case .sealed(let s): return s.index
        }
    }

    public var count: Int {
        switch self {
        case .plain(let s): return s.count
        case .sealed(let s): return s.count
        }
    }

    public var checkValue: [UInt8] {
        switch self {
        case .plain(let s): return s.checkValue
        case .sealed(let s): return s.checkValue
        }
    }

    /// Writes a sealed share as a new key file (never over an existing one). 0600 where the
    /// filesystem keeps modes; where it does not, the seal is what protects it.
    public static func write(_ share: SealedShareFile, to path: String) throws(HavenError) {
        let file = share.bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .rootKeySealedShare, key: $0) }
        try file.withUnsafeBytes { (raw) throws(HavenError) in try KeyFiles.create(path: path, contents: raw, mode: 0o600) }
    }
}
