import CSodium
import HavenCore

/// A blind index of one searchable field: keyed BLAKE2b of a value's search form under a key
/// of that field's own, cut to `bits` bits, so that equal forms give equal index values
/// without the index holding the value or an unkeyed hash of it (a guess cannot be checked
/// against it without the root key).
///
/// Truncated on purpose: each index value is shared by about R / 2^bits records (R the
/// vault's records), so the index says "maybe" and never "this one" — the CipherSweet rule,
/// 2 ≤ R / 2^bits < √R at the vault's design size. A search opens the candidates and keeps
/// only those whose decrypted value matches.
///
/// Keys: `crypto_kdf(root, "hvsearch", 1)` gives the index key; each field's key is keyed
/// BLAKE2b-256 of "haven/blind-index/v1\n" and the field name under it, so one field's index
/// values say nothing about another's, nor about another vault's.
public final class BlindIndex: Sendable {
    public let field: String
    public let bits: Int
    private let key: SecureBytes

    public convenience init(rootKey: RootKey, field: String, bits: Int) {
        self.init(indexKey: Self.indexKey(rootKey), field: field, bits: bits)
    }

    /// `indexKey`: `indexKey(root)`, which a running vault keeps instead of the root key.
    public init(indexKey master: SecureBytes, field: String, bits: Int) {
        precondition((1...32).contains(bits), "an index value is at most 32 bits")
        self.field = field
        self.bits = bits
        let label = Array("haven/blind-index/v1\n\(field)".utf8)
        key = try! SecureBytes(count: 32) { out in
            master.withUnsafeBytes { m in
                let rc = crypto_generichash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, label, UInt64(label.count),
                                            m.baseAddress!.assumingMemoryBound(to: UInt8.self), m.count)
                Sodium.require(rc, "crypto_generichash")
            }
        }
    }

    /// The key every field's key is derived from: `crypto_kdf(root, "hvsearch", 1)`.
    public static func indexKey(_ root: RootKey) -> SecureBytes {
        root.derive(.blindIndex, version: 1)
    }

    /// The index value of a search form: the first `bits` bits of the keyed hash, as a number.
    public func value(_ form: String) -> UInt32 {
        Sodium.ready()
        let input = Array(form.utf8)
        var out = [UInt8](repeating: 0, count: 16)
        key.withUnsafeBytes { k in
            let rc = crypto_generichash(&out, out.count, input, UInt64(input.count), k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count)
            Sodium.require(rc, "crypto_generichash")
        }
        let word = UInt32(out[0]) << 24 | UInt32(out[1]) << 16 | UInt32(out[2]) << 8 | UInt32(out[3])
        return word >> (32 - UInt32(bits))
    }
}
