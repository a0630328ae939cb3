import CSodium
import HavenCore

/// A vault's root key sealed under a passphrase, so that the file alone opens nothing.
///
/// Argon2id (libsodium `crypto_pwhash`) turns the passphrase and a random 16-byte salt into a
/// 32-byte key, with the cost recorded in the file; XChaCha20-Poly1305 seals the root key
/// under it. The associated data is everything before the ciphertext (format, vault id,
/// costs, salt, nonce), so a file edited to cheaper costs, or moved to another vault,
/// does not open. Layout (121 bytes, big-endian):
/// version 1 | vault id 16 | opslimit 8 | memlimit 8 | salt 16 | nonce 24 | sealed key 32+16.
public struct PassphraseSeal: Sendable {
    public static let byteCount = 1 + 16 + 8 + 8 + 16 + 24 + RootKey.byteCount + XChaCha20Poly1305.tagBytes
    static let version: UInt8 = 1
    static let domain = Array("haven/root-passphrase/v1".utf8)

    /// Argon2id costs: libsodium's "moderate" (3 passes, 256 MiB) by default, a few tenths
    /// of a second here; a file asking for more than 4 GiB or 100 passes is refused, so a
    /// planted file cannot make the daemon exhaust the machine.
    public struct Cost: Sendable, Equatable {
        public let opsLimit: UInt64
        public let memLimit: UInt64

        public init(opsLimit: UInt64, memLimit: UInt64) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }

        public static let moderate = Cost(opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MODERATE), memLimit: UInt64(crypto_pwhash_MEMLIMIT_MODERATE))
        /// The least libsodium allows: for tests only.
        public static let minimum = Cost(opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MIN), memLimit: UInt64(crypto_pwhash_MEMLIMIT_MIN))

        var acceptable: Bool {
            (UInt64(crypto_pwhash_OPSLIMIT_MIN)...100).contains(opsLimit) && (UInt64(crypto_pwhash_MEMLIMIT_MIN)...(4 << 30)).contains(memLimit)
        }
    }

    /// The file's content (what the key file's base64 holds).
    public let bytes: SecureBytes

    public init(bytes: SecureBytes) throws(CryptoError) {
        guard bytes.count == Self.byteCount, bytes.withUnsafeBytes({ $0[0] }) == Self.version else {
            throw .invalidFormat("not a version-1 passphrase seal")
        }
        self.bytes = bytes
        guard cost.acceptable else { throw .invalidFormat("the seal asks for Argon2id costs outside what Haven accepts") }
    }

    /// The vault the seal says it belongs to (also bound by the associated data).
    public var vault: VaultID { VaultID(bytes: field(1, 16)) }

    public var cost: Cost { Cost(opsLimit: Self.uint64(field(17, 8)), memLimit: Self.uint64(field(25, 8))) }

    /// Seals `root` under `passphrase` for `vault`.
    public static func seal(_ root: RootKey, passphrase: SecureBytes, vault: VaultID, cost: Cost = .moderate) throws(CryptoError) -> PassphraseSeal {
        try seal(root, passphrase: passphrase, vault: vault, cost: cost, salt: Random.bytes(16),
                 nonce: Random.bytes(XChaCha20Poly1305.nonceBytes))
    }

    /// The seal with a given salt and nonce, for the known-answer vector.
    @_spi(FormatVectors)
    public static func seal(_ root: RootKey, passphrase: SecureBytes, vault: VaultID, cost: Cost, salt: [UInt8],
                     nonce: [UInt8]) throws(CryptoError) -> PassphraseSeal {
        guard cost.acceptable else { throw .invalidKey("Argon2id costs outside what Haven accepts") }
        guard let vaultBytes = Hex.decode(vault.rawValue), salt.count == 16, nonce.count == XChaCha20Poly1305.nonceBytes else {
            throw .invalidFormat("invalid vault id, salt or nonce")
        }
        let header = [version] + vaultBytes + bigEndian(cost.opsLimit) + bigEndian(cost.memLimit) + salt + nonce
        let kek = try derive(passphrase: passphrase, salt: Array(header[33..<49]), cost: cost)
        let sealed: SecureBytes
        do {
            sealed = try SecureBytes(count: byteCount) { out in
                out.copyBytes(from: header)
                let ad = domain + header
                kek.withUnsafeBytes { k in
                    root.withUnsafeBytes { r in
                        header[49...].withUnsafeBytes { n in
                            ad.withUnsafeBytes { a in
                                XChaCha20Poly1305.encrypt(key: k, nonce: n, plaintext: r, ad: a,
                                                          out: UnsafeMutableRawBufferPointer(rebasing: out[header.count...]))
                            }
                        }
                    }
                }
            }
        } catch {
            throw .libsodium("cannot allocate protected memory for the seal")
        }
        return try PassphraseSeal(bytes: sealed)
    }

    /// The root key, if `passphrase` is the one it was sealed under and the file is of `vault`
    /// and unchanged; a wrong passphrase and an edited file are the same failure.
    public func open(passphrase: SecureBytes, vault expected: VaultID) throws(CryptoError) -> RootKey {
        guard vault == expected else { throw .invalidKey("this passphrase seal is of vault \(vault), not \(expected)") }
        let headerCount = Self.byteCount - RootKey.byteCount - XChaCha20Poly1305.tagBytes
        let header = field(0, headerCount)
        let kek = try Self.derive(passphrase: passphrase, salt: field(33, 16), cost: cost)
        let nonce = field(49, XChaCha20Poly1305.nonceBytes)
        let ciphertext = field(headerCount, RootKey.byteCount + XChaCha20Poly1305.tagBytes)
        let ad = Self.domain + header
        var failure: CryptoError?
        let material = try? SecureBytes(count: RootKey.byteCount) { out in
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
        guard let material else { throw .libsodium("cannot allocate protected memory for the root key") }
        return try RootKey(material: material)
    }

    /// Argon2id of the passphrase (never empty: guarded memory holds at least one byte) into guarded memory.
    static func derive(passphrase: SecureBytes, salt: [UInt8], cost: Cost) throws(CryptoError) -> SecureBytes {
        Sodium.ready()
        do {
            return try SecureBytes(count: XChaCha20Poly1305.keyBytes) { out in
                let rc = passphrase.withUnsafeBytes { p in
                    crypto_pwhash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                                  p.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(p.count), salt,
                                  cost.opsLimit, Int(cost.memLimit), crypto_pwhash_ALG_ARGON2ID13)
                }
                try Sodium.check(rc, "crypto_pwhash")
            }
        } catch {
            // Argon2id fails for want of memory; guarded memory for the key, likewise.
            throw .libsodium("Argon2id failed (not enough memory for \(cost.memLimit >> 20) MiB?)")
        }
    }

    /// Public bytes of the header (never the sealed key).
    private func field(_ offset: Int, _ count: Int) -> [UInt8] {
        bytes.withUnsafeBytes { Array($0[offset..<(offset + count)]) }
    }

    private static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
    private static func uint64(_ b: [UInt8]) -> UInt64 { b.reduce(0) { $0 << 8 | UInt64($1) } }
}
