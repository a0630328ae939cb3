import CSodium

/// XChaCha20-Poly1305 (IETF construction, draft-irtf-cfrg-xchacha), the one AEAD Haven uses.
/// Internal: callers go through `SealedBox`, which chooses the nonce and the format.
enum XChaCha20Poly1305 {
    static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// Writes ciphertext and tag (plaintext.count + 16 bytes) to `out`.
    static func encrypt(key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, plaintext: UnsafeRawBufferPointer,
                        ad: UnsafeRawBufferPointer, out: UnsafeMutableRawBufferPointer) {
        Sodium.ready()
        precondition(key.count == keyBytes && nonce.count == nonceBytes && out.count == plaintext.count + tagBytes)
        var written: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            out.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
            ad.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(ad.count), nil,
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        // Encryption cannot fail for in-range sizes; a failure here is a broken library.
        Sodium.require(rc, "crypto_aead_xchacha20poly1305_ietf_encrypt")
        precondition(Int(written) == out.count, "XChaCha20-Poly1305 encrypt wrote a short ciphertext")
    }

    /// Verifies the tag and writes the plaintext (ciphertext.count - 16 bytes) to `out`;
    /// on any mismatch nothing usable is written and `authenticationFailure` is thrown.
    static func decrypt(key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, ciphertext: UnsafeRawBufferPointer,
                        ad: UnsafeRawBufferPointer, out: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        Sodium.ready()
        guard key.count == keyBytes, nonce.count == nonceBytes, ciphertext.count >= tagBytes,
              out.count == ciphertext.count - tagBytes else { throw .authenticationFailure }
        var written: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            out.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
            ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
            ad.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(ad.count),
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        try Sodium.check(rc, "crypto_aead_xchacha20poly1305_ietf_decrypt", failure: .authenticationFailure)
        guard Int(written) == out.count else { throw .authenticationFailure }
    }
}
