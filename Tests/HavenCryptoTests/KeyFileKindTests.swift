import Glibc
import HavenCrypto
import HavenTestSupport
import Testing

/// `KeyFiles.kind(ofFile:)`: a key file's kind from its label, with no mode rule and without
/// reading a secret key's bytes, so a public key given for a private one is named as such.
@Suite struct KeyFileKindTests {
    let directory = TemporaryDirectory("haven-keykind")

    func write(_ name: String, _ contents: [UInt8], mode: mode_t = 0o644) throws -> String {
        let path = directory.file(name)
        try contents.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: mode) }
        return path
    }

    @Test func eachKindIsNamedByItsLabelWhateverTheFileMode() throws {
        let key = SigningKey.generate()
        let pub = try write("a.pub", Array(KeyFileFormat.encodePublic(key.publicKey).utf8))
        #expect(KeyFiles.kind(ofFile: pub) == .ed25519Public)
        let secret = key.seed().withUnsafeBytes { KeyFileFormat.encode(kind: .ed25519Secret, key: $0) }
        let loose = try secret.withUnsafeBytes { b in try write("a", Array(b.bindMemory(to: UInt8.self)), mode: 0o644) }
        #expect(KeyFiles.kind(ofFile: loose) == .ed25519Secret)
        // Comments before the label, and Windows line ends, as an edited file may have.
        let edited = try write("b.pub", Array("# mine\r\n# a second comment: with a colon\r\nhaven-ed25519-public-v1:AAAA\r\n".utf8))
        #expect(KeyFiles.kind(ofFile: edited) == .ed25519Public)
    }

    @Test func anythingElseIsNoKind() throws {
        #expect(KeyFiles.kind(ofFile: directory.file("absent")) == nil)
        #expect(KeyFiles.kind(ofFile: try write("text", Array("hello world\n".utf8))) == nil)
        #expect(KeyFiles.kind(ofFile: try write("label", Array("ssh-ed25519:AAAA\n".utf8))) == nil)
        #expect(KeyFiles.kind(ofFile: try write("long", [UInt8](repeating: 0x61, count: 5000))) == nil)
        #expect(KeyFiles.kind(ofFile: directory.path) == nil)
    }
}
