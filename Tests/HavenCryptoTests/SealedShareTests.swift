import Foundation
import Glibc
import HavenCore
@testable import HavenCrypto
import HavenTestSupport
import Testing

/// Shares sealed to their custodians: each opens with its custodian's key only, and each
/// attack on the file — a header edited, a box moved under another header, a custodian key
/// swapped — is refused (one test per attack). The file-mode rule: a sealed share is read
/// whatever its mode (FAT, exFAT), a share in clear is not.
@Suite struct SealedShareTests {
    let vault = VaultID(bytes: (0..<16).map { UInt8($0) })
    let custodians = (0..<3).map { _ in SigningKey.generate() }

    func split() throws -> (root: RootKey, shares: [ShareFile], sealed: [SealedShareFile]) {
        let root = RootKey.generate()
        let material = try SecureBytes(count: RootKey.byteCount) { out in root.withUnsafeBytes { out.copyMemory(from: $0) } }
        let shares = try Shamir.split(material, threshold: 2, count: 3).map { try ShareFile(share: $0, vault: vault, threshold: 2, count: 3) }
        let sealed = try zip(shares, custodians).map { try SealedShareFile(sealing: $0, to: $1.publicKey) }
        return (root, shares, sealed)
    }

    @Test func eachShareOpensWithItsCustodiansKeyOnly() throws {
        let (_, shares, sealed) = try split()
        for i in 0..<3 {
            #expect(try sealed[i].open(with: custodians[i], what: "s").checkValue == shares[i].checkValue)
            // The clear share is nowhere in the sealed file.
            let clear = shares[i].bytes.withUnsafeBytes { Array($0[20..<52]) }
            #expect(Data(sealed[i].bytes).range(of: Data(clear)) == nil)
            for j in 0..<3 where j != i {
                #expect(throws: HavenError.self) { try sealed[i].open(with: custodians[j], what: "s") }
            }
        }
    }

    @Test func anEditedHeaderIsRefused() throws {
        let (_, _, sealed) = try split()
        // The index, and the check value, each changed in the plaintext header.
        for offset in [17, 25] {
            var bytes = sealed[0].bytes
            bytes[offset] ^= 0x01
            let edited = try? SealedShareFile(bytes: bytes, what: "edited")
            #expect(throws: HavenError.self) { try edited?.open(with: custodians[0], what: "edited") ?? { throw HavenError(.invalidKey, "") }() }
        }
    }

    @Test func aBoxMovedUnderAnotherHeaderIsRefused() throws {
        let (_, _, sealed) = try split()
        // Share 2's box, sealed to custodian 1 too, under share 1's header: it opens, but is not the share the header names.
        let (_, shares2, _) = try split()
        let foreign = try SealedShareFile(sealing: shares2[1], to: custodians[0].publicKey)
        let moved = Array(sealed[0].bytes.prefix(SealedShareFile.headerCount)) + Array(foreign.bytes.suffix(from: SealedShareFile.headerCount))
        let file = try SealedShareFile(bytes: moved, what: "moved")
        #expect(throws: HavenError.self) { try file.open(with: custodians[0], what: "moved") }
        // A flipped byte of the box itself: the box does not open.
        var flipped = sealed[0].bytes
        flipped[flipped.count - 1] ^= 0x01
        #expect(throws: HavenError.self) { try SealedShareFile(bytes: flipped, what: "flipped").open(with: custodians[0], what: "flipped") }
    }

    @Test func aCustodianKeySwappedInTheShareSetIsNamed() throws {
        let (root, shares, _) = try split()
        let set = try ShareSet(shares: shares, custodians: custodians.map(\.publicKey), root: root)
        try set.verify(root: root)
        var bytes = set.bytes
        bytes.replaceSubrange((19 + 32)..<(19 + 64), with: SigningKey.generate().publicKey.bytes)
        let swapped = try ShareSet(bytes: bytes)
        #expect(throws: HavenError.self) { try swapped.verify(root: root) }
        // The version-1 set still reads (vaults made before custodian keys).
        let v1 = try ShareSet(bytes: try ShareSet(shares: shares).bytes)
        #expect(v1.version == 1 && v1.custodians.isEmpty)
        try v1.verify(root: root)
    }

    @Test func aSealedShareIsReadWhateverItsModeAShareInClearIsNot() throws {
        let (_, shares, sealed) = try split()
        let dir = NSTemporaryDirectory() + "hv-share-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try StoredShare.write(sealed[0], to: dir + "/sealed.key")
        chmod(dir + "/sealed.key", 0o777)  // as a FAT or exFAT stick shows every file
        guard case .sealed(let read) = try StoredShare.read(path: dir + "/sealed.key") else { Issue.record("not read as sealed"); return }
        #expect(try read.open(with: custodians[0], what: "s").checkValue == shares[0].checkValue)
        let clear = shares[0].bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .rootKeyShare, key: $0) }
        try clear.withUnsafeBytes { try KeyFiles.create(path: dir + "/clear.key", contents: $0, mode: 0o600) }
        chmod(dir + "/clear.key", 0o644)
        #expect(throws: HavenError.self) { try StoredShare.read(path: dir + "/clear.key") }
        chmod(dir + "/clear.key", 0o600)
        guard case .plain(let plain) = try StoredShare.read(path: dir + "/clear.key") else { Issue.record("not read as plain"); return }
        #expect(plain.checkValue == shares[0].checkValue)
    }
}
