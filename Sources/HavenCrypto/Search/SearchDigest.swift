import CSodium
import HavenCore

/// The keyed digest of a searched value that a find's audit entry keeps instead of the value,
/// so an auditor can ask "who searched for her?" (`haven audit searches`) through the
/// daemon, and the log alone — a copy, an export, the database file — holds nothing a name,
/// a phone or a birth date can be checked against.
///
/// digest = the first 16 bytes of keyed BLAKE2b ("haven/search-digest/v1\n" ‖ kind ‖ "\n" ‖
/// search form), under key = keyed BLAKE2b-256 of "haven/search-digest-key/v1" under the
/// vault's Ed25519 seed. The seed, not the root key: a root key rotation keeps the signing
/// key (the vault's public key never changes), so finds made before a rotation can still be
/// asked about after it. The seed is only ever in the daemon's guarded memory. The form is
/// the one the blind indexes use (`SearchForm`), so every spelling of one name gives one
/// digest; 128 bits, so two different values never share one.
public final class SearchDigest: Sendable {
    private let key: SecureBytes

    public static let byteCount = 16

    public init(signingKey: SigningKey) {
        Sodium.ready()
        let label = Array("haven/search-digest-key/v1".utf8)
        let seed = signingKey.seed()
        key = try! SecureBytes(count: 32) { out in
            seed.withUnsafeBytes { s in
                let rc = crypto_generichash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, label, UInt64(label.count),
                                            s.baseAddress!.assumingMemoryBound(to: UInt8.self), s.count)
                Sodium.require(rc, "crypto_generichash")
            }
        }
    }

    /// The digest of a value of `kind` (name, phone, dob) in its search form, in lower-case hex.
    public func digest(kind: String, form: String) -> String {
        let input = Array("haven/search-digest/v1\n\(kind)\n\(form)".utf8)
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        key.withUnsafeBytes { k in
            let rc = crypto_generichash(&out, out.count, input, UInt64(input.count), k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count)
            Sodium.require(rc, "crypto_generichash")
        }
        return Hex.encode(out)
    }
}
