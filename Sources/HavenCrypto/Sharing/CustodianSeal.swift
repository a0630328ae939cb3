import CSodium
import HavenCore

/// A secret sealed to one custodian's Ed25519 key, so that only that person can open it:
/// libsodium's sealed box (`crypto_box_seal`, an ephemeral X25519 key and XSalsa20-Poly1305)
/// to the X25519 key `crypto_sign_ed25519_pk_to_curve25519` gives for their public key.
///
/// Why a sealed box: whoever makes a split (the daemon, at init or in a rotation) must be
/// able to hand each share out without being able to read it back, and the custodian
/// already holds a Haven key (`haven key generate`); a sealed box needs nothing else. It
/// carries no associated data, so what it holds is compared with the plaintext header
/// around it by the caller (`SealedShareFile`).
public enum CustodianSeal {
    /// What the box adds to its plaintext: the ephemeral public key and the tag.
    public static let overhead = Int(crypto_box_sealbytes())

    /// Seals `plaintext` to `custodian`.
    public static func seal(_ plaintext: SecureBytes, to custodian: PublicKey) throws(HavenError) -> [UInt8] {
        Sodium.ready()
        let x25519 = try curve(custodian)
        var out = [UInt8](repeating: 0, count: plaintext.count + overhead)
        let rc = plaintext.withUnsafeBytes { p in
            crypto_box_seal(&out, p.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(p.count), x25519)
        }
        guard rc == 0 else { throw HavenError(.internalError, "crypto_box_seal failed") }
        return out
    }

    /// Opens a box sealed to `key`'s public key; any other key, or any change to the box,
    /// is the same failure, and nothing of the plaintext is returned.
    public static func open(_ box: [UInt8], with key: SigningKey) throws(HavenError) -> SecureBytes {
        Sodium.ready()
        guard box.count > overhead else { throw HavenError(.invalidKey, "the sealed share is too short") }
        let pk = try curve(key.publicKey)
        let seed = key.seed()
        // The Ed25519 secret key again from its seed, then its X25519 scalar, both guarded.
        let sk: SecureBytes
        do {
            let ed = try SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { out in
                var ignored = [UInt8](repeating: 0, count: PublicKey.byteCount)
                let rc = seed.withUnsafeBytes { s in
                    crypto_sign_seed_keypair(&ignored, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                             s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                Sodium.require(rc, "crypto_sign_seed_keypair")
            }
            sk = try SecureBytes(count: Int(crypto_box_SECRETKEYBYTES)) { out in
                let rc = ed.withUnsafeBytes { e in
                    crypto_sign_ed25519_sk_to_curve25519(out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                         e.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                Sodium.require(rc, "crypto_sign_ed25519_sk_to_curve25519")
            }
        } catch {
            throw HavenError(.internalError, "cannot hold the custodian's key in protected memory")
        }
        let opened = try? SecureBytes(count: box.count - overhead) { out in
            let rc = sk.withUnsafeBytes { s in
                crypto_box_seal_open(out.baseAddress!.assumingMemoryBound(to: UInt8.self), box, UInt64(box.count), pk,
                                     s.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard rc == 0 else { throw HavenError(.authenticationFailed, "sealed box") }
        }
        guard let opened else {
            throw HavenError(.authenticationFailed, "the share does not open with this key (key id \(key.publicKey.keyID))",
                             hint: "each custodian opens only the share sealed to their own key: give --key with your key file")
        }
        return opened
    }

    /// The X25519 public key of an Ed25519 one.
    private static func curve(_ key: PublicKey) throws(HavenError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        guard crypto_sign_ed25519_pk_to_curve25519(&out, key.bytes) == 0 else {
            throw HavenError(.invalidKey, "the custodian key \(key.keyID) is not a usable Ed25519 public key")
        }
        return out
    }
}
