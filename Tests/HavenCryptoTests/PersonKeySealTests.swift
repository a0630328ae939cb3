import Foundation
import HavenCore
@_spi(FormatVectors) @testable import HavenCrypto
import HavenTestSupport
import Testing

/// A browser-desk user's key sealed under their passphrase: it opens with that passphrase,
/// for that name, unchanged — and each attack on the file is refused (one test per attack).
@Suite struct PersonKeySealTests {
    static let passphrase = "ນ້ຳຕົກຕາດ correct horse"

    func sealed(_ key: SigningKey = .generate(), name: String = "noy") throws -> PersonKeySeal {
        try PersonKeySeal.seal(key, name: name, passphrase: SecureBytes(utf8: Self.passphrase), cost: .minimum)
    }

    func opens(_ seal: PersonKeySeal, name: String = "noy", passphrase: String = Self.passphrase) -> Bool {
        (try? seal.open(passphrase: SecureBytes(utf8: passphrase), name: name)) != nil
    }

    /// A copy of the seal's bytes with `change` made to them.
    static func edited(_ seal: PersonKeySeal, _ change: (inout [UInt8]) -> Void) -> SecureBytes {
        var bytes = seal.bytes.withUnsafeBytes { Array($0) }
        change(&bytes)
        return SecureBytes(copying: bytes)
    }

    @Test func aSealOpensWithItsPassphraseIntoTheSameKey() throws {
        let key = SigningKey.generate()
        let seal = try sealed(key)
        #expect(seal.publicKey == key.publicKey && seal.cost == .minimum && seal.bytes.count == 137)
        let opened = try seal.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy")
        #expect(opened.publicKey == key.publicKey)
        #expect(opened.seed().withUnsafeBytes { Array($0) } == key.seed().withUnsafeBytes { Array($0) })
        // Two seals of one key share no salt or nonce.
        #expect(try sealed(key).bytes.withUnsafeBytes { Array($0) } != seal.bytes.withUnsafeBytes { Array($0) })
    }

    @Test func aWrongPassphraseDoesNotOpen() throws {
        let seal = try sealed()
        #expect(throws: CryptoError.authenticationFailure) {
            try seal.open(passphrase: SecureBytes(utf8: "ນ້ຳຕົກຕາດ correct hors"), name: "noy")
        }
    }

    /// A key file copied over another person's (`noy.key` as `bounmy.key`) does not open.
    @Test func aSealDoesNotOpenUnderAnotherName() throws {
        let seal = try sealed()
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "bounmy") }
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy2") }
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "../noy") }
    }

    /// One byte flipped in each part of the file: the version (refused as a format), the
    /// costs, the salt, the nonce, the public key, the sealed seed and its tag (refused as a
    /// wrong passphrase is). A flipped cost byte that leaves the bounds is refused unread.
    @Test(arguments: [("version", 0), ("opslimit", 8), ("memlimit", 15), ("salt", 17), ("salt", 32), ("nonce", 33),
                      ("nonce", 56), ("public key", 57), ("public key", 88), ("sealed seed", 89), ("tag", 136)])
    func aFlippedByteInAnyPartIsRefused(part: String, offset: Int) throws {
        let seal = try sealed()
        let edited = Self.edited(seal) { $0[offset] ^= 0x02 }
        do {
            let parsed = try PersonKeySeal(bytes: edited)
            _ = try parsed.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy")
            Issue.record("a flipped byte of the \(part) at \(offset) opened")
        } catch {
            #expect(error == .authenticationFailure || offset == 0, "\(part): \(error)")
        }
    }

    /// Another person's public key written into the header: what the desk would show as
    /// this person's key to enrol is refused at the first opening.
    @Test func aSwappedPublicKeyIsRefused() throws {
        let seal = try sealed()
        let other = SigningKey.generate().publicKey
        let swapped = try PersonKeySeal(bytes: Self.edited(seal) { $0.replaceSubrange(57..<89, with: other.bytes) })
        #expect(swapped.publicKey == other)
        #expect(throws: CryptoError.authenticationFailure) { try swapped.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy") }
    }

    /// A header naming another key, sealed consistently (as only someone with the passphrase
    /// could): the AEAD opens, and the seed's own public key still refuses it.
    @Test func aSeedWhosePublicKeyIsNotTheHeadersIsRefused() throws {
        let seed = SigningKey.generate().seed()
        let other = SigningKey.generate().publicKey
        let salt = Random.bytes(16), nonce = Random.bytes(24)
        let cost = PassphraseSeal.Cost.minimum
        let header: [UInt8] = [1] + withUnsafeBytes(of: cost.opsLimit.bigEndian) { Array($0) }
            + withUnsafeBytes(of: cost.memLimit.bigEndian) { Array($0) } + salt + nonce + other.bytes
        let kek = try PassphraseSeal.derive(passphrase: SecureBytes(utf8: Self.passphrase), salt: salt, cost: cost)
        let ad = PersonKeySeal.associatedData(name: "noy", header: header)
        var box = [UInt8](repeating: 0, count: 48)
        kek.withUnsafeBytes { k in
            seed.withUnsafeBytes { s in
                nonce.withUnsafeBytes { n in
                    ad.withUnsafeBytes { a in
                        box.withUnsafeMutableBytes { XChaCha20Poly1305.encrypt(key: k, nonce: n, plaintext: s, ad: a, out: $0) }
                    }
                }
            }
        }
        let seal = try PersonKeySeal(bytes: SecureBytes(copying: header + box))
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy") }
    }

    @Test func aTruncatedOrLengthenedSealIsRefused() throws {
        let seal = try sealed()
        for count in [1, 57, 89, 136] {
            #expect(throws: CryptoError.self, "\(count) bytes") {
                try PersonKeySeal(bytes: Self.edited(seal) { $0.removeSubrange(count...) })
            }
        }
        #expect(throws: CryptoError.self) { try PersonKeySeal(bytes: Self.edited(seal) { $0.append(0) }) }
    }

    /// Costs past the bounds (over 100 passes, over 4 GiB, under libsodium's minimum) are
    /// refused before any work, whether a file asks for them or a caller does.
    @Test func costsOutOfBoundsAreRefusedUnread() throws {
        let seal = try sealed()
        let costly = [
            Self.edited(seal) { $0[8] = 101 },  // opslimit 101
            Self.edited(seal) { $0[1] = 0x01 },  // opslimit ≥ 2^56
            Self.edited(seal) { $0[12] = 0x02 },  // memlimit ≥ 8 GiB
            Self.edited(seal) { $0.replaceSubrange(9..<17, with: [UInt8](repeating: 0, count: 8)) },  // memlimit 0
        ]
        for bytes in costly {
            #expect(throws: CryptoError.invalidFormat("the seal asks for Argon2id costs outside what Haven accepts")) {
                try PersonKeySeal(bytes: bytes)
            }
        }
        #expect(throws: CryptoError.self) {
            try PersonKeySeal.seal(.generate(), name: "noy", passphrase: SecureBytes(utf8: "x"),
                                   cost: PassphraseSeal.Cost(opsLimit: 101, memLimit: 8192))
        }
    }

    @Test func aSealIsItsOwnKindOfKeyFile() throws {
        let key = SigningKey.generate()
        let seal = try sealed(key)
        let file = seal.bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .personKey, key: $0) }
        let read = try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .personKey, file: $0) }
        #expect(try PersonKeySeal(bytes: read).open(passphrase: SecureBytes(utf8: Self.passphrase), name: "noy").publicKey == key.publicKey)
        // Never read as a plain secret key, nor as the root key's passphrase seal.
        #expect(throws: CryptoError.self) { try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .ed25519Secret, file: $0) } }
        #expect(throws: CryptoError.self) { try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKeyPassphrase, file: $0) } }
    }

    // MARK: the committed vector

    struct Vectors: Decodable {
        let person_key_seal: Vector
    }

    struct Vector: Decodable {
        let name, passphrase, seed, public_key, salt, nonce, bytes: String
        let opslimit, memlimit: UInt64
    }

    /// The seal of a fixed seed, salt and nonce, as scripts/format-vectors.py computes it with
    /// libsodium from FORMAT.md alone: exactly these bytes, and they open back, for that name only.
    @Test func theCommittedVector() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.fixtures + "/format-v1/vectors.json"))
        let v = try JSONDecoder().decode(Vectors.self, from: data).person_key_seal
        let key = try SigningKey(seed: SecureBytes(hex: v.seed))
        #expect(Hex.encode(key.publicKey.bytes) == v.public_key)
        let passphrase = SecureBytes(utf8: v.passphrase)
        let seal = try PersonKeySeal.seal(key, name: v.name, passphrase: passphrase,
                                          cost: PassphraseSeal.Cost(opsLimit: v.opslimit, memLimit: v.memlimit),
                                          salt: [UInt8](hex: v.salt), nonce: [UInt8](hex: v.nonce))
        #expect(seal.bytes.withUnsafeBytes { Hex.encode(Array($0)) } == v.bytes)
        let read = try PersonKeySeal(bytes: SecureBytes(hex: v.bytes))
        #expect(try read.open(passphrase: passphrase, name: v.name).seed().withUnsafeBytes { Hex.encode(Array($0)) } == v.seed)
        #expect(throws: CryptoError.authenticationFailure) { try read.open(passphrase: passphrase, name: v.name + "x") }
    }
}
