import CSodium
import HavenCore

/// A blind index of one searchable field at one agency: keyed BLAKE2b of a value's search
/// form under a key of that agency and field's own, cut to `bits` bits, so that equal forms
/// at one agency give equal index values without the index holding the value or an unkeyed
/// hash of it (a guess cannot be checked against it without the root key).
///
/// Truncated on purpose: each index value is shared by about R / 2^bits records (R the
/// vault's records), so the index says "maybe" and never "this one" — the CipherSweet rule,
/// 2 ≤ R / 2^bits < √R at the vault's design size. A search opens the candidates and keeps
/// only those whose decrypted value matches.
///
/// Keys (since index format 2; format 3 changed only the names' search form, HavenVault
/// `SearchIndexer.format`): `crypto_kdf(root, "hvsearch", 1)` gives the index key; the key of
/// one agency's field is keyed BLAKE2b-256, under it, of the framed label
/// `("haven/blind-index/v2", agency, field)` (`AssociatedData` framing). Each part is bound
/// for a reason:
/// - the agency: one survivor's name at two agencies has unrelated index values, so a copy of
///   the file alone does not link her records across agencies; the daemon, which holds the
///   index key, computes a query's value at every agency and matches across them;
/// - the field: one field's index values say nothing about another's (a phone typed as a name);
/// - the index key, from the root key: another vault's values, or this vault's after a root
///   key rotation, are unrelated, and a guess cannot be checked against a row without it;
/// - the domain string: no other use of the index key, nor format 1's per-field keys (keyed
///   BLAKE2b of "haven/blind-index/v1\n" and the field name), gives the same key;
/// - the framing (each part length-prefixed): agency `a-b` with field `c` and agency `a`
///   with field `b-c` never share a key.
public final class BlindIndex: Sendable {
    public let agency: String
    public let field: String
    public let bits: Int
    private let key: SecureBytes

    public convenience init(rootKey: RootKey, agency: String, field: String, bits: Int) {
        self.init(indexKey: Self.indexKey(rootKey), agency: agency, field: field, bits: bits)
    }

    /// `indexKey`: `indexKey(root)`, which a running vault keeps instead of the root key.
    public init(indexKey master: SecureBytes, agency: String, field: String, bits: Int) {
        precondition((1...32).contains(bits), "an index value is at most 32 bits")
        self.agency = agency
        self.field = field
        self.bits = bits
        var label = AssociatedData(domain: "haven/blind-index/v2")
        label.string(agency)
        label.string(field)
        let message = label.bytes
        key = try! SecureBytes(count: 32) { out in
            master.withUnsafeBytes { m in
                let rc = crypto_generichash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, message, UInt64(message.count),
                                            m.baseAddress!.assumingMemoryBound(to: UInt8.self), m.count)
                Sodium.require(rc, "crypto_generichash")
            }
        }
    }

    /// The key every agency's and field's key is derived from: `crypto_kdf(root, "hvsearch", 1)`.
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
