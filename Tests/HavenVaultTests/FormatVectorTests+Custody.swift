import Foundation
import HavenCore
import HavenCrypto
import Testing

/// The custody formats of custodian keys (HavenCrypto FORMAT.md, "sealed share" and "share
/// set v2"): a share sealed to its custodian by scripts/format-vectors.py (crypto_box_seal
/// written out from its parts) opens with the custodian's committed key through libsodium's
/// own crypto_box_seal_open, and the version-2 share set's bytes and tag are the script's.
extension FormatVectorTests {
    struct CustodyVectors: Decodable {
        struct Sealed: Decodable {
            let custodian_seed: String
            let custodian_public_key: String
            let share: String
            let bytes: String
        }

        struct SetV2: Decodable {
            let threshold: Int
            let count: Int
            let shares: [String]
            let custodians: [String]
            let bytes: String
        }

        let root_share_sealed: Sealed
        let root_share_set_v2: SetV2
    }

    var custody: CustodyVectors {
        get throws { try JSONDecoder().decode(CustodyVectors.self, from: Data(contentsOf: URL(fileURLWithPath: Self.file))) }
    }

    @Test func aShareSealedToItsCustodianOpensWithTheirKeyOnly() throws {
        let s = try custody.root_share_sealed
        let key = try SigningKey(seed: SecureBytes(hex: s.custodian_seed))
        #expect(key.publicKey.bytes == [UInt8](hex: s.custodian_public_key))
        let sealed = try SealedShareFile(bytes: [UInt8](hex: s.bytes), what: "the vector")
        #expect(sealed.custodian == key.publicKey && sealed.index == 2 && sealed.vault == vault)
        let inner = try sealed.open(with: key, what: "the vector")
        #expect(inner.bytes.withUnsafeBytes { Hex.encode(Array($0)) } == s.share)
        // Any other key is refused, by the header and by the box itself.
        #expect(throws: HavenError.self) { try sealed.open(with: SigningKey.generate(), what: "the vector") }
        // Sealing again gives other bytes (a fresh ephemeral key) that open to the same share.
        let again = try SealedShareFile(sealing: inner, to: key.publicKey)
        #expect(again.bytes != sealed.bytes && Array(again.bytes.prefix(SealedShareFile.headerCount)) == Array(sealed.bytes.prefix(SealedShareFile.headerCount)))
        #expect(try again.open(with: key, what: "again").checkValue == inner.checkValue)
    }

    @Test func theVersionTwoShareSetListsItsCustodiansUnderTheRootKeysTag() throws {
        let ss = try custody.root_share_set_v2
        let members = try ss.shares.map { try ShareFile(bytes: SecureBytes(hex: $0), what: "a member") }
        let custodians = try ss.custodians.map { try PublicKey(bytes: [UInt8](hex: $0)) }
        let set = try ShareSet(shares: members, custodians: custodians, root: root)
        #expect(Hex.encode(set.bytes) == ss.bytes && set.version == 2 && set.threshold == ss.threshold && set.count == ss.count)
        let read = try ShareSet(bytes: [UInt8](hex: ss.bytes))
        #expect(read == set && read.custodians == custodians)
        try read.verify(root: root)
        for m in members { try read.check(m, what: "a member") }
        // A custodian's key swapped in the file: the set still parses, and its tag names it.
        var swapped = [UInt8](hex: ss.bytes)
        let intruder = SigningKey.generate().publicKey.bytes
        swapped.replaceSubrange((19 + 32)..<(19 + 64), with: intruder)
        #expect(throws: HavenError.self) { try ShareSet(bytes: swapped).verify(root: root) }
        #expect(throws: HavenError.self) { try read.verify(root: RootKey.generate()) }
    }
}
