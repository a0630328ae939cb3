import HavenCore
@testable import HavenCrypto
import HavenTestSupport
import Testing

/// The root key sealed under a passphrase, and split into share files: each opens only what
/// it should, and each attack on the file is refused (one test per attack).
@Suite struct RootKeySealTests {
    let vault = VaultID(bytes: (0..<16).map { UInt8($0) })
    let other = VaultID(bytes: (0..<16).map { UInt8(255 - $0) })

    static func same(_ a: RootKey, _ b: RootKey) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in Array(x) == Array(y) } }
    }

    /// A copy of the seal with one byte changed.
    static func edited(_ seal: PassphraseSeal, at offset: Int, _ change: (UInt8) -> UInt8 = { $0 ^ 0x01 }) -> SecureBytes {
        try! SecureBytes(count: seal.bytes.count) { out in
            seal.bytes.withUnsafeBytes { out.copyMemory(from: $0) }
            out[offset] = change(out[offset])
        }
    }

    @Test func aPassphraseSealOpensWithItsPassphraseOnly() throws {
        let root = RootKey.generate()
        let seal = try PassphraseSeal.seal(root, passphrase: SecureBytes(utf8: "ນ້ຳຕົກ correct horse"), vault: vault, cost: .minimum)
        #expect(seal.vault == vault && seal.cost == .minimum)
        #expect(Self.same(try seal.open(passphrase: SecureBytes(utf8: "ນ້ຳຕົກ correct horse"), vault: vault), root))
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(passphrase: SecureBytes(utf8: "ນ້ຳຕົກ correct hors"), vault: self.vault) }
        // Two seals of one key under one passphrase share no salt or nonce.
        let again = try PassphraseSeal.seal(root, passphrase: SecureBytes(utf8: "ນ້ຳຕົກ correct horse"), vault: vault, cost: .minimum)
        #expect(again.bytes.withUnsafeBytes { Array($0) } != seal.bytes.withUnsafeBytes { Array($0) })
    }

    @Test func aPassphraseSealOfAnotherVaultIsNamed() throws {
        let seal = try PassphraseSeal.seal(RootKey.generate(), passphrase: SecureBytes(utf8: "passphrase"), vault: other, cost: .minimum)
        #expect(throws: CryptoError.invalidKey("this passphrase seal is of vault \(other), not \(vault)")) {
            try seal.open(passphrase: SecureBytes(utf8: "passphrase"), vault: self.vault)
        }
    }

    /// Every byte of the file is bound: the vault id, the costs (made cheaper), the salt, the
    /// nonce and the sealed key; an edit either fails to parse or fails to open.
    @Test func everyEditedByteOfAPassphraseSealIsRefused() throws {
        let seal = try PassphraseSeal.seal(RootKey.generate(), passphrase: SecureBytes(utf8: "passphrase"), vault: vault, cost: .minimum)
        for offset in [0, 1, 16, 17, 24, 25, 32, 33, 48, 49, 72, 73, 100, PassphraseSeal.byteCount - 1] {
            let edited = Self.edited(seal, at: offset)
            do {
                let parsed = try PassphraseSeal(bytes: edited)
                _ = try parsed.open(passphrase: SecureBytes(utf8: "passphrase"), vault: parsed.vault)
                Issue.record("an edit at byte \(offset) opened")
            } catch {}
        }
        // Costs beyond what Haven accepts are refused before any work is done.
        var costly = Self.edited(seal, at: 25) { _ in 0xFF }  // memlimit's top byte: far past 4 GiB
        #expect(throws: CryptoError.self) { try PassphraseSeal(bytes: costly) }
        costly = Self.edited(seal, at: 17) { _ in 0x01 }  // opslimit ≥ 2^56
        #expect(throws: CryptoError.self) { try PassphraseSeal(bytes: costly) }
    }

    @Test func aPassphraseSealRoundTripsThroughItsKeyFile() throws {
        let root = RootKey.generate()
        let seal = try PassphraseSeal.seal(root, passphrase: SecureBytes(utf8: "passphrase"), vault: vault, cost: .minimum)
        let file = seal.bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .rootKeyPassphrase, key: $0) }
        let read = try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKeyPassphrase, file: $0) }
        #expect(Self.same(try PassphraseSeal(bytes: read).open(passphrase: SecureBytes(utf8: "passphrase"), vault: vault), root))
        // A seal is never read as a plain root key, or as a share.
        #expect(throws: CryptoError.self) { try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKey, file: $0) } }
        #expect(throws: CryptoError.self) { try file.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKeyShare, file: $0) } }
    }

    // MARK: share files

    func shareFiles(_ root: RootKey, threshold: Int = 2, count: Int = 3) throws -> [ShareFile] {
        let secret = root.withUnsafeBytes { r in try! SecureBytes(count: r.count) { $0.copyMemory(from: r) } }
        return try Shamir.split(secret, threshold: threshold, count: count).map {
            try ShareFile(share: $0, vault: vault, threshold: threshold, count: count)
        }
    }

    @Test func anyTwoOfThreeShareFilesGiveTheRootKeyBack() throws {
        let root = RootKey.generate()
        let files = try shareFiles(root)
        #expect(files.map(\.index) == [1, 2, 3] && files.allSatisfy { $0.vault == vault && $0.threshold == 2 && $0.count == 3 })
        for pair in [[0, 1], [1, 2], [2, 0]] {
            // Each file goes through its text form, as a custodian hands it over.
            let read = try pair.map { i in
                let text = files[i].bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .rootKeyShare, key: $0) }
                return try ShareFile(bytes: try text.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKeyShare, file: $0) },
                                     what: "share\(i + 1).key")
            }
            let material = try Shamir.combine(read.map(\.share), threshold: 2)
            #expect(Self.same(try RootKey(material: material), root), "\(pair)")
        }
    }

    /// A share changed anywhere, its values, its index, its vault or its check, is named.
    @Test func aCorruptedShareIsNamedAndRefused() throws {
        let file = try shareFiles(RootKey.generate())[1]
        for offset in [0, 1, 17, 18, 19, 20, 40, 51, 52, ShareFile.byteCount - 1] {
            let edited = try SecureBytes(count: ShareFile.byteCount) { out in
                file.bytes.withUnsafeBytes { out.copyMemory(from: $0) }
                out[offset] ^= 0x04
            }
            #expect(throws: HavenError.self, "byte \(offset)") { try ShareFile(bytes: edited, what: "bounmy.share") }
            do {
                _ = try ShareFile(bytes: edited, what: "bounmy.share")
            } catch {
                #expect(error.code == .invalidKey && error.message.hasPrefix("bounmy.share is"), "\(error)")
            }
        }
    }

    @Test func impossibleSplitsAreNotWritten() throws {
        let share = Shamir.Share(index: 4, values: SecureBytes.random(count: 32))
        #expect(throws: HavenError.self) { try ShareFile(share: share, vault: self.vault, threshold: 2, count: 3) }
        #expect(throws: HavenError.self) { try ShareFile(share: share, vault: self.vault, threshold: 5, count: 4) }
        let short = Shamir.Share(index: 1, values: SecureBytes.random(count: 16))
        #expect(throws: HavenError.self) { try ShareFile(share: short, vault: self.vault, threshold: 2, count: 3) }
    }
}
