import HavenCore
@testable import HavenCrypto
import Testing

/// The sealed-box format and what its associated data binds (FORMAT.md).
@Suite struct SealedBoxTests {
    let key = SecureBytes.random(count: 32)
    let vault = VaultID(bytes: Array(repeating: 7, count: 16))
    let record = RecordID(bytes: Array(repeating: 1, count: 16))
    let other = RecordID(bytes: Array(repeating: 2, count: 16))
    let name = try! FieldName("survivor_name")
    let address = try! FieldName("address")

    func cipher(_ r: RecordID, dataKey: SecureBytes? = nil) -> RecordCipher {
        RecordCipher(vault: vault, record: r, dataKey: dataKey ?? key, dataKeyVersion: 1)
    }

    func open(_ c: RecordCipher, _ n: FieldName, _ v: UInt64, _ box: [UInt8]) throws -> String {
        try box.withUnsafeBytes { b in try c.openField(n, version: v, box: b) }.string()
    }

    @Test func fieldRoundTripsLaoAndVietnameseExactly() throws {
        for text in ["ນາງ ສົມພອນ ວົງສະຫວັນ", "Nguyễn Thị Hà, Hà Tĩnh", ""] {
            let box = cipher(record).sealField(name, version: 3, value: text)
            #expect(box.count == SealedBox.overhead + text.utf8.count)
            #expect(box[0] == 0x01)
            let opened = try open(cipher(record), name, 3, box)
            #expect(Array(opened.utf8) == Array(text.utf8))
        }
    }

    @Test func everySingleFlippedByteIsRefused() {
        let box = cipher(record).sealField(name, version: 1, value: "Nguyễn Thị Hà")
        for i in box.indices {
            var tampered = box
            tampered[i] ^= 0x01
            #expect(throws: CryptoError.authenticationFailure) { _ = try open(cipher(record), name, 1, tampered) }
        }
    }

    @Test func ciphertextMovedToAnotherRecordIsRefused() {
        let box = cipher(record).sealField(name, version: 1, value: "x")
        #expect(throws: CryptoError.authenticationFailure) { _ = try open(cipher(other), name, 1, box) }
    }

    @Test func ciphertextMovedToAnotherFieldIsRefused() {
        let box = cipher(record).sealField(name, version: 1, value: "x")
        #expect(throws: CryptoError.authenticationFailure) { _ = try open(cipher(record), address, 1, box) }
    }

    @Test func olderVersionOfAFieldIsRefused() {
        let old = cipher(record).sealField(name, version: 1, value: "old")
        #expect(throws: CryptoError.authenticationFailure) { _ = try open(cipher(record), name, 2, old) }
    }

    @Test func anotherVaultsCiphertextIsRefused() {
        let elsewhere = RecordCipher(vault: VaultID(bytes: Array(repeating: 9, count: 16)), record: record, dataKey: key, dataKeyVersion: 1)
        let box = elsewhere.sealField(name, version: 1, value: "x")
        #expect(throws: CryptoError.authenticationFailure) { _ = try open(cipher(record), name, 1, box) }
    }

    @Test func wrongKeyOrKeyVersionIsRefused() {
        let box = cipher(record).sealField(name, version: 1, value: "x")
        #expect(throws: CryptoError.authenticationFailure) {
            _ = try open(cipher(record, dataKey: .random(count: 32)), name, 1, box)
        }
        let v2 = RecordCipher(vault: vault, record: record, dataKey: key, dataKeyVersion: 2)
        #expect(throws: CryptoError.authenticationFailure) { _ = try open(v2, name, 1, box) }
    }

    @Test func twoSealsOfTheSameValueDiffer() {
        let a = cipher(record).sealField(name, version: 1, value: "same")
        let b = cipher(record).sealField(name, version: 1, value: "same")
        #expect(a != b)  // random nonces: equal values are not linkable on disk
    }

    @Test func headerOfAnotherVersionIsAnIntegrityError() throws {
        let h = RecordHeader(id: record, type: try RecordTypeName("gbv_incident"), agency: try AgencyName("a"),
                             version: 4, createdAt: Timestamp(millisecondsSinceEpoch: 0), createdBy: try UserName("u"))
        let box = cipher(record).sealHeader(h)
        let back = try box.withUnsafeBytes { try cipher(record).openHeader($0, version: 4) }
        #expect(back == h)
        #expect(throws: HavenError.integrity) { try box.withUnsafeBytes { _ = try cipher(record).openHeader($0, version: 3) } }
    }

    @Test func dataKeyUnwrapsOnlyForItsRecord() throws {
        let root = RootKey.generate()
        let wrapper = DataKeyWrapper(vault: vault, rootKey: root)
        let dek = DataKey.generate()
        let wrapped = wrapper.wrap(dek, record: record, dataKeyVersion: 1)
        #expect(try wrapper.unwrap(wrapped, record: record, dataKeyVersion: 1).constantTimeEquals(dek))
        #expect(throws: CryptoError.authenticationFailure) { _ = try wrapper.unwrap(wrapped, record: other, dataKeyVersion: 1) }
        let otherRoot = DataKeyWrapper(vault: vault, rootKey: .generate())
        #expect(throws: CryptoError.authenticationFailure) { _ = try otherRoot.unwrap(wrapped, record: record, dataKeyVersion: 1) }
    }

    @Test func derivedKeysAreDeterministicAndSeparatedByPurpose() {
        let root = RootKey.generate()
        #expect(root.derive(.dataKeyWrapping, version: 1).constantTimeEquals(root.derive(.dataKeyWrapping, version: 1)))
        #expect(!root.derive(.dataKeyWrapping, version: 1).constantTimeEquals(root.derive(.dataKeyWrapping, version: 2)))
        #expect(!root.derive(.dataKeyWrapping, version: 1).constantTimeEquals(root.derive(.signingKeySealing, version: 1)))
    }

    @Test func signingKeySealOpensOnlyWithItsRootAndVault() throws {
        let root = RootKey.generate()
        let key = SigningKey.generate()
        let sealed = SigningKeySeal.seal(key, vault: vault, rootKey: root)
        #expect(try SigningKeySeal.open(sealed, vault: vault, rootKey: root).publicKey == key.publicKey)
        #expect(throws: CryptoError.authenticationFailure) { _ = try SigningKeySeal.open(sealed, vault: vault, rootKey: .generate()) }
        #expect(throws: CryptoError.authenticationFailure) {
            _ = try SigningKeySeal.open(sealed, vault: VaultID(bytes: Array(repeating: 3, count: 16)), rootKey: root)
        }
    }
}

/// A digest from an array or a slice holds the same bytes as one from any collection.
@Suite struct Digest32Tests {
    @Test func everyInitialiserHoldsTheSameBytes() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        let generic = try #require(Digest32(AnyCollection(bytes)))
        #expect(Digest32(bytes) == generic)
        #expect(Digest32(bytes[...]) == generic)
        #expect(Digest32(([0] + bytes)[1...]) == generic)
        #expect(Digest32(bytes)?.bytes == bytes)
        #expect(Digest32(Array(bytes.dropLast())) == nil)
        #expect(Digest32(bytes + [0]) == nil)
        #expect(Digest32(bytes[1...]) == nil)
    }
}
