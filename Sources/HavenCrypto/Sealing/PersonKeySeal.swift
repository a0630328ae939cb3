import CSodium
import HavenCore

/// One person's Ed25519 key sealed under their passphrase, as the browser desk keeps it
/// (`haven-web --keys DIR`, `people/NAME.key`): the desk holds no key it can use by itself.
///
/// Argon2id (libsodium `crypto_pwhash`, with `PassphraseSeal.Cost` and its bounds) turns the
/// passphrase and a random 16-byte salt into a 32-byte key; XChaCha20-Poly1305 seals the
/// 32-byte seed under it. Layout (137 bytes, big-endian):
/// version 1 | opslimit 8 | memlimit 8 | salt 16 | nonce 24 | public key 32 | sealed seed 32+16.
///
/// The associated data is the framed domain `haven/person-key/v1`, the person's name, and
/// every header byte before the sealed seed (a 4-byte length, then the bytes). Each binding:
/// - the domain: a person's seal never opens as any other of Haven's boxes, nor one of them as this;
/// - the name: a file copied over another person's (`ana.key` as `bounmy.key`) does not open,
///   so whoever can write the directory cannot sign in under a name with a passphrase of their own;
/// - the costs: a file edited to cheaper costs does not open (it would make guessing cheaper);
/// - the salt and nonce: edited, the file does not open (as a wrong passphrase);
/// - the public key: the desk reads it without the passphrase (`publicKey`, to show the person
///   what to enrol); swapped for another, the file does not open. Once open, the seed's own
///   public key must also be the header's, so the header can never name a key the seed is not.
public struct PersonKeySeal: Sendable {
    public static let byteCount = headerCount + SigningKey.seedBytes + XChaCha20Poly1305.tagBytes
    static let headerCount = 1 + 8 + 8 + 16 + 24 + PublicKey.byteCount
    static let version: UInt8 = 1
    static let domain = "haven/person-key/v1"

    /// The file's content (what the key file's base64 holds).
    public let bytes: SecureBytes

    /// Reads a seal; refuses another version or length, and costs outside the bounds before any work.
    public init(bytes: SecureBytes) throws(CryptoError) {
        guard bytes.count == Self.byteCount, bytes.withUnsafeBytes({ $0[0] }) == Self.version else {
            throw .invalidFormat("not a version-1 person key seal")
        }
        self.bytes = bytes
        guard cost.acceptable else { throw .invalidFormat("the seal asks for Argon2id costs outside what Haven accepts") }
    }

    public var cost: PassphraseSeal.Cost {
        PassphraseSeal.Cost(opsLimit: Self.uint64(field(1, 8)), memLimit: Self.uint64(field(9, 8)))
    }

    /// The public key the header names: unauthenticated until the seal opens with the passphrase.
    public var publicKey: PublicKey {
        try! PublicKey(bytes: field(57, PublicKey.byteCount))
    }

    /// Seals `key` for the person `name` under `passphrase`.
    public static func seal(_ key: SigningKey, name: String, passphrase: SecureBytes,
                            cost: PassphraseSeal.Cost = .moderate) throws(CryptoError) -> PersonKeySeal {
        try seal(key, name: name, passphrase: passphrase, cost: cost, salt: Random.bytes(16),
                 nonce: Random.bytes(XChaCha20Poly1305.nonceBytes))
    }

    /// The seal with a given salt and nonce, for the known-answer vector.
    @_spi(FormatVectors)
    public static func seal(_ key: SigningKey, name: String, passphrase: SecureBytes, cost: PassphraseSeal.Cost,
                            salt: [UInt8], nonce: [UInt8]) throws(CryptoError) -> PersonKeySeal {
        guard cost.acceptable else { throw .invalidKey("Argon2id costs outside what Haven accepts") }
        guard NameRules.isValid(name), salt.count == 16, nonce.count == XChaCha20Poly1305.nonceBytes else {
            throw .invalidFormat("invalid name, salt or nonce")
        }
        let header = [version] + bigEndian(cost.opsLimit) + bigEndian(cost.memLimit) + salt + nonce + key.publicKey.bytes
        let kek = try PassphraseSeal.derive(passphrase: passphrase, salt: salt, cost: cost)
        let seed = key.seed()
        let ad = associatedData(name: name, header: header)
        let sealed: SecureBytes
        do {
            sealed = try SecureBytes(count: byteCount) { out in
                out.copyBytes(from: header)
                kek.withUnsafeBytes { k in
                    seed.withUnsafeBytes { s in
                        nonce.withUnsafeBytes { n in
                            ad.withUnsafeBytes { a in
                                XChaCha20Poly1305.encrypt(key: k, nonce: n, plaintext: s, ad: a,
                                                          out: UnsafeMutableRawBufferPointer(rebasing: out[headerCount...]))
                            }
                        }
                    }
                }
            }
        } catch {
            throw .libsodium("cannot allocate protected memory for the seal")
        }
        return try PersonKeySeal(bytes: sealed)
    }

    /// The person's signing key, if `passphrase` is theirs and the file is `name`'s and
    /// unchanged. A wrong passphrase, another name and an edited file are one failure,
    /// `authenticationFailure`, so nothing tells them apart.
    public func open(passphrase: SecureBytes, name: String) throws(CryptoError) -> SigningKey {
        guard NameRules.isValid(name) else { throw .authenticationFailure }
        let header = field(0, Self.headerCount)
        let kek = try PassphraseSeal.derive(passphrase: passphrase, salt: field(17, 16), cost: cost)
        let nonce = field(33, XChaCha20Poly1305.nonceBytes)
        let ciphertext = field(Self.headerCount, SigningKey.seedBytes + XChaCha20Poly1305.tagBytes)
        let ad = Self.associatedData(name: name, header: header)
        var failure: CryptoError?
        let seed = try? SecureBytes(count: SigningKey.seedBytes) { out in
            do {
                try kek.withUnsafeBytes { k in
                    try nonce.withUnsafeBytes { n in
                        try ciphertext.withUnsafeBytes { c in
                            try ad.withUnsafeBytes { a in try XChaCha20Poly1305.decrypt(key: k, nonce: n, ciphertext: c, ad: a, out: out) }
                        }
                    }
                }
            } catch {
                failure = error as? CryptoError ?? .authenticationFailure
            }
        }
        if let failure { throw failure }
        guard let seed else { throw .libsodium("cannot allocate protected memory for the key") }
        let key = try SigningKey(seed: seed)
        guard key.publicKey == publicKey else { throw .authenticationFailure }
        return key
    }

    /// Spends what opening a seal of `cost` spends, for a name with no seal, so that how long
    /// a sign-in takes does not say whether the name has a key.
    public static func spendLikeOpening(passphrase: SecureBytes, cost: PassphraseSeal.Cost) {
        guard cost.acceptable else { return }
        _ = try? PassphraseSeal.derive(passphrase: passphrase, salt: Random.bytes(16), cost: cost)
    }

    static func associatedData(name: String, header: [UInt8]) -> [UInt8] {
        var ad = AssociatedData(domain: domain)
        ad.string(name)
        ad.blob(header)
        return ad.bytes
    }

    /// Public bytes of the header (never the sealed seed).
    private func field(_ offset: Int, _ count: Int) -> [UInt8] {
        bytes.withUnsafeBytes { Array($0[offset..<(offset + count)]) }
    }

    private static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
    private static func uint64(_ b: [UInt8]) -> UInt64 { b.reduce(0) { $0 << 8 | UInt64($1) } }
}
