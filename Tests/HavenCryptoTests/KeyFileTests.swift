import Glibc
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

@Suite struct KeyFileTests {
    let directory = TemporaryDirectory("haven-keytest")

    func tempPath(_ name: String) -> String { directory.file(name) }

    @Test func secretKeyFileRoundTripsAndIsCreated0600() throws {
        let key = SigningKey.generate()
        let path = tempPath("k")
        let file = key.seed().withUnsafeBytes { KeyFileFormat.encode(kind: .ed25519Secret, key: $0) }
        try file.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        let seed = try KeyFiles.readSecret(kind: .ed25519Secret, path: path)
        #expect(try SigningKey(seed: seed).publicKey == key.publicKey)
    }

    @Test func secretKeyReadableByOthersIsRefused() throws {
        let path = tempPath("k")
        let file = SigningKey.generate().seed().withUnsafeBytes { KeyFileFormat.encode(kind: .ed25519Secret, key: $0) }
        try file.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o644) }
        #expect { try KeyFiles.readSecret(kind: .ed25519Secret, path: path) } throws: { error in
            (error as? HavenError)?.code == .invalidKey && "\(error)".contains("chmod 600")
        }
    }

    @Test func existingFileIsNeverOverwritten() throws {
        let path = tempPath("k")
        let bytes: [UInt8] = [1, 2, 3]
        try bytes.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
        #expect(throws: HavenError.self) { try bytes.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) } }
    }

    @Test func publicKeyCannotBeLoadedAsSecretOrRoot() throws {
        let text = KeyFileFormat.encodePublic(SigningKey.generate().publicKey)
        let bytes = Array(text.utf8)
        #expect(throws: CryptoError.self) { _ = try bytes.withUnsafeBytes { try KeyFileFormat.decode(kind: .ed25519Secret, file: $0) } }
        #expect(throws: CryptoError.self) { _ = try bytes.withUnsafeBytes { try KeyFileFormat.decode(kind: .rootKey, file: $0) } }
        #expect(try KeyFiles.parsePublic(text).bytes.count == 32)
    }

    @Test(arguments: ["", "# only a comment\n", "haven-ed25519-public-v1:not-base64!!\n", "haven-ed25519-public-v1:AAAA\n",
                      "unknown-label:AAAA\n"])
    func malformedPublicKeyFilesAreRefused(text: String) {
        #expect(throws: HavenError.self) { _ = try KeyFiles.parsePublic(text) }
    }

    /// A second key line is refused, not ignored: a tool that takes the last line would
    /// hold another key than Haven does.
    @Test func aKeyFileWithTwoKeyLinesIsRefused() throws {
        let one = KeyFileFormat.encodePublic(SigningKey.generate().publicKey)
        let two = KeyFileFormat.encodePublic(SigningKey.generate().publicKey)
        #expect(try KeyFiles.parsePublic(one).bytes.count == 32)
        #expect(throws: HavenError.self) { _ = try KeyFiles.parsePublic(one + two) }
        #expect(throws: HavenError.self) { _ = try KeyFiles.parsePublic(one + "# comment\n" + one) }
    }
}
