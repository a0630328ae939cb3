import CSodium
import HavenCore

/// Why a subkey is derived from the root key; each purpose has its own `crypto_kdf` context,
/// so a key derived for one purpose is never usable for another.
public enum KeyPurpose: Sendable {
    /// Wraps records' data keys. The subkey id is the wrapping key's version.
    case dataKeyWrapping
    /// Seals the vault's Ed25519 signing key at rest.
    case signingKeySealing
    /// Authenticates the rows that grant or limit access (users, records, vault metadata),
    /// so that a row written without the root key is never honoured.
    case rowAuthentication
    /// Authenticates each audit entry beside the public Merkle tree, so that the log cannot
    /// be re-chained without the root key.
    case auditAuthentication
    /// Encrypts backup archives (secretstream), so a backup opens only with the root key.
    case backupEncryption
    /// Keys the blind indexes of searchable fields (one key per field, derived from this one).
    case blindIndex
    /// Seals each record's statistics (what it contributes to anonymised counts).
    case statistics
    /// Seals each year's published statistics release, so that it is read back unchanged.
    case statisticsRelease

    /// `crypto_kdf` contexts are exactly 8 bytes.
    var context: String {
        switch self {
        case .dataKeyWrapping: return "hvdkwrap"
        case .signingKeySealing: return "hvsignky"
        case .rowAuthentication: return "hvrowtag"
        case .auditAuthentication: return "hvaudtag"
        case .backupEncryption: return "hvbackup"
        case .blindIndex: return "hvsearch"
        case .statistics: return "hvstatsr"
        case .statisticsRelease: return "hvstrels"
        }
    }
}

/// The vault's root key: the top of the key hierarchy, never used directly to encrypt anything.
public final class RootKey: Sendable {
    public static let byteCount = Int(crypto_kdf_KEYBYTES)
    private let material: SecureBytes

    public init(material: SecureBytes) throws(CryptoError) {
        guard material.count == Self.byteCount else { throw .invalidKey("a root key is \(Self.byteCount) bytes") }
        self.material = material
    }

    public static func generate() -> RootKey {
        try! RootKey(material: .random(count: byteCount))
    }

    /// `crypto_kdf_derive_from_key`: BLAKE2b keyed with the root key, personalised by purpose.
    public func derive(_ purpose: KeyPurpose, version: UInt64) -> SecureBytes {
        let context = Array(purpose.context.utf8)
        precondition(context.count == Int(crypto_kdf_CONTEXTBYTES))
        return try! SecureBytes(count: 32) { out in
            let rc = material.withUnsafeBytes { k in
                context.withUnsafeBufferPointer { ctx in
                    ctx.withMemoryRebound(to: CChar.self) { c in
                        crypto_kdf_derive_from_key(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                                                   version, c.baseAddress!,
                                                   k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
            Sodium.require(rc, "crypto_kdf_derive_from_key")
        }
    }

    /// For writing the key file; the caller must not keep a copy.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try material.withUnsafeBytes(body)
    }
}

/// A record's data key: random, 32 bytes, stored only wrapped under a derived key. In
/// memory only for the request that uses it, so it lives in the slot pool.
public enum DataKey {
    public static let byteCount = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)

    public static func generate() -> SecureBytes {
        .randomPooled(count: byteCount)
    }
}
