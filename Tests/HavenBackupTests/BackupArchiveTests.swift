import Foundation
import HavenAudit
@testable import HavenBackup
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

/// The backup archive format: an archive written by an independent script still opens, and
/// each way of altering one is refused — one test per attack.
@Suite struct BackupArchiveTests {
    static let fixtures = Repository.fixtures + "/backup-v1"
    static let root = try! RootKey(material: SecureBytes(copying: Array(0..<32)))
    static var backupKey: SecureBytes { root.derive(.backupEncryption, version: 1) }
    let signer = try! SigningKey(seed: SecureBytes(copying: Array(0x40..<0x60)))
    let directory = TemporaryDirectory("haven-backup")
    var dir: String { directory.path }

    func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }
    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// An archive of `snapshot` made by Haven.
    func archive(_ snapshot: [UInt8], name: String = "a.hvbk") throws -> String {
        let input = write(snapshot, name + ".snapshot")
        let path = dir + "/" + name
        _ = try BackupArchive.write(snapshot: input, to: path, header: { stream in
            BackupHeader(vaultID: try! VaultID("00112233445566778899aabbccddeeff"), vaultPublicKey: signer.publicKey.bytes,
                         createdAt: Timestamp(millisecondsSinceEpoch: 1_796_000_000_000), auditSize: 7, checkpoint: nil, seal: .file,
                         sealFile: nil, streamHeader: stream)
        }, key: Self.backupKey, signer: signer)
        return path
    }

    @Test func theScriptsArchiveVerifiesAndOpensWithTheRootKey() throws {
        let key = try KeyFiles.readPublic(path: Self.fixtures + "/vault.pub")
        let header = try BackupArchive.verify(Self.fixtures + "/archive.hvbk", key: key)
        #expect(header.vaultID.rawValue == "00112233445566778899aabbccddeeff" && header.seal == .file)
        _ = try BackupArchive.decrypt(Self.fixtures + "/archive.hvbk", key: key, backupKey: Self.backupKey, to: dir + "/out")
        #expect(bytes(dir + "/out") == bytes(Self.fixtures + "/snapshot.bin"))
    }

    @Test func aSnapshotOfSeveralChunksComesBackExactly() throws {
        let snapshot = Random.bytes(BackupArchive.chunkBytes * 2 + 12_345)
        let path = try archive(snapshot)
        _ = try BackupArchive.decrypt(path, key: signer.publicKey, backupKey: Self.backupKey, to: dir + "/out")
        #expect(bytes(dir + "/out") == snapshot)
        // An empty snapshot is one empty final chunk.
        let empty = try archive([], name: "empty.hvbk")
        _ = try BackupArchive.decrypt(empty, key: signer.publicKey, backupKey: Self.backupKey, to: dir + "/empty")
        #expect(bytes(dir + "/empty").isEmpty)
    }

    @Test func oneByteChangedAnywhereIsRefused() throws {
        let original = bytes(try archive(Array(repeating: 7, count: 5000)))
        for offset in [3, 20, 100, original.count / 2, original.count - 70, original.count - 1] {
            var copy = original
            copy[offset] ^= 0x20
            #expect(throws: HavenError.self, "byte \(offset)") { try BackupArchive.verify(write(copy, "flip\(offset)"), key: signer.publicKey) }
        }
    }

    @Test func anArchiveCutShortOrExtendedIsRefused() throws {
        let original = bytes(try archive(Array(repeating: 1, count: 5000)))
        #expect(throws: HavenError.self) { try BackupArchive.verify(write(Array(original.dropLast(1)), "cut"), key: signer.publicKey) }
        #expect(throws: HavenError.self) { try BackupArchive.verify(write(original + [0], "long"), key: signer.publicKey) }
    }

    /// Signed again by the vault (an insider with the signing key, or a bug): a stream
    /// without its final chunk still does not open.
    @Test func aStreamWithoutItsFinalChunkDoesNotOpenEvenWhenSigned() throws {
        let path = try archive(Random.bytes(BackupArchive.chunkBytes + 10))
        var b = bytes(path)
        let headerEnd = 16 + 4 + Int(BackupArchive.uint32(Array(b[16..<20])))
        let first = Int(BackupArchive.uint32(Array(b[headerEnd..<(headerEnd + 4)])))
        b = Array(b[..<(headerEnd + 4 + first)]) + BackupArchive.bigEndian(0)
        b += signer.sign(BackupArchive.domain + BLAKE2b.digest256(b.withUnsafeBytes { $0 }).bytes)
        let cut = write(b, "unfinished")
        try BackupArchive.verify(cut, key: signer.publicKey)
        #expect(throws: HavenError.self) { try BackupArchive.decrypt(cut, key: self.signer.publicKey, backupKey: Self.backupKey, to: self.dir + "/cut") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/cut"), "nothing half-written is left")
    }

    @Test func anotherVaultsKeyOrRootKeyIsRefused() throws {
        let path = try archive(Array(repeating: 2, count: 100))
        #expect(throws: HavenError.self) { try BackupArchive.verify(path, key: SigningKey.generate().publicKey) }
        let wrong = RootKey.generate().derive(.backupEncryption, version: 1)
        let e = try #require(throws: HavenError.self) { try BackupArchive.decrypt(path, key: nil, backupKey: wrong, to: self.dir + "/w") }
        #expect(e.code == .invalidKey)
    }
}
