import HavenCore
@_spi(FormatVectors) import HavenCrypto
import HavenVault
import Testing

/// `vault_meta.anchored` (HavenStore FORMAT.md): the size and the vault key's signature over
/// its framed message, as scripts/format-vectors.py computes them with libsodium.
extension FormatVectorTests {
    @Test func anchoredMarkBytes() throws {
        let a = v.anchored_mark
        let signer = try SigningKey(seed: SecureBytes(hex: a.seed))
        #expect(signer.publicKey.bytes == [UInt8](hex: a.public_key))
        let value = AnchoredMark.encode(size: a.size, vault: vault, signer: signer)
        #expect(value == [UInt8](hex: a.value))
        // The signature is over the framed message, and over nothing a checkpoint signs.
        #expect(throws: Never.self) { try signer.publicKey.verify(signature: Array(value.dropFirst(8)), message: [UInt8](hex: a.message)) }
    }
}
