import CSodium
import HavenCore

/// An Ed25519 public key (RFC 8032): a user's identity, or the vault's checkpoint and extract key.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = Int(crypto_sign_PUBLICKEYBYTES)
    public static let signatureBytes = Int(crypto_sign_BYTES)
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Self.byteCount else { throw .invalidKey("an Ed25519 public key is 32 bytes") }
        self.bytes = bytes
    }

    /// A short, stable name for the key: the first 8 bytes of SHA-256 of the key, in hex.
    public var keyID: String {
        Hex.encode(SHA256.hash(bytes).prefix(8))
    }

    public var description: String { "ed25519:\(keyID)" }

    /// Verifies a detached signature; throws `authenticationFailure` on any mismatch so a
    /// caller cannot ignore a failed verification by accident.
    public func verify(signature: [UInt8], message: UnsafeRawBufferPointer) throws(CryptoError) {
        Sodium.ready()
        guard signature.count == Self.signatureBytes else { throw .authenticationFailure }
        let rc = signature.withUnsafeBufferPointer { sig in
            bytes.withUnsafeBufferPointer { pk in
                crypto_sign_verify_detached(sig.baseAddress!, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            UInt64(message.count), pk.baseAddress!)
            }
        }
        try Sodium.check(rc, "crypto_sign_verify_detached", failure: .authenticationFailure)
    }

    public func verify(signature: [UInt8], message: [UInt8]) throws(CryptoError) {
        let outcome = message.withUnsafeBytes { m in
            Result { () throws(CryptoError) in try verify(signature: signature, message: m) }
        }
        try outcome.get()
    }
}

/// An Ed25519 secret key in guarded memory; signs, and never exposes its bytes except to be sealed or saved.
public final class SigningKey: Sendable {
    public static let seedBytes = Int(crypto_sign_SEEDBYTES)
    private let secret: SecureBytes
    public let publicKey: PublicKey

    /// Expands a 32-byte seed (the form Haven stores) into a key pair.
    public init(seed: SecureBytes) throws(CryptoError) {
        Sodium.ready()
        guard seed.count == Self.seedBytes else { throw .invalidKey("an Ed25519 seed is 32 bytes") }
        var pk = [UInt8](repeating: 0, count: PublicKey.byteCount)
        let sk = try! SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES)) { out in
            let rc = seed.withUnsafeBytes { s in
                crypto_sign_seed_keypair(&pk, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                         s.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            Sodium.require(rc, "crypto_sign_seed_keypair")
        }
        secret = sk
        publicKey = try PublicKey(bytes: pk)
    }

    public static func generate() -> SigningKey {
        try! SigningKey(seed: .random(count: seedBytes))
    }

    public func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var sig = [UInt8](repeating: 0, count: PublicKey.signatureBytes)
        let rc = secret.withUnsafeBytes { sk in
            crypto_sign_detached(&sig, nil, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                 UInt64(message.count), sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        Sodium.require(rc, "crypto_sign_detached")
        return sig
    }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sign($0) }
    }

    /// The 32-byte seed, in guarded memory, for sealing or writing to a key file.
    public func seed() -> SecureBytes {
        try! SecureBytes(count: Self.seedBytes) { out in
            let rc = secret.withUnsafeBytes { sk in
                crypto_sign_ed25519_sk_to_seed(out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                               sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            Sodium.require(rc, "crypto_sign_ed25519_sk_to_seed")
        }
    }
}
