import CSodium

/// Haven's one ciphertext format, used for field values, record headers, notes, wrapped
/// data keys and the sealed vault signing key (FORMAT.md, "sealed box v1"):
///
///     offset  size   content
///     0       1      format version, 0x01
///     1       4      key version, big-endian (which generation of key sealed this)
///     5       24     nonce, random
///     29      n+16   XChaCha20-Poly1305 (IETF) ciphertext and tag
///
/// The first 5 bytes are authenticated too: they are appended to the caller's associated
/// data, so changing the version or key-version byte makes the box fail to open.
///
/// Why a random nonce is safe: XChaCha20's 192-bit nonce makes collisions negligible even
/// for billions of messages under one key, so no counter state has to survive a crash.
public enum SealedBox {
    public static let formatVersion: UInt8 = 0x01
    public static let headerBytes = 5
    public static let nonceBytes = XChaCha20Poly1305.nonceBytes
    public static let tagBytes = XChaCha20Poly1305.tagBytes
    public static let overhead = headerBytes + nonceBytes + tagBytes

    /// Seals `plaintext` under `key` (32 bytes) with `associatedData`.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecureBytes, keyVersion: UInt32,
                            associatedData: AssociatedData) -> [UInt8] {
        seal(plaintext, key: key, keyVersion: keyVersion, associatedData: associatedData, nonce: nil)
    }

    /// Seals with a given nonce, for the committed known-answer vector of the format only:
    /// Haven itself never chooses a nonce (a repeated one would break the AEAD).
    @_spi(FormatVectors)
    public static func seal(_ plaintext: [UInt8], key: SecureBytes, keyVersion: UInt32, associatedData: AssociatedData,
                            fixedNonce: [UInt8]) -> [UInt8] {
        precondition(fixedNonce.count == nonceBytes)
        return plaintext.withUnsafeBytes { p in
            fixedNonce.withUnsafeBytes { seal(p, key: key, keyVersion: keyVersion, associatedData: associatedData, nonce: $0) }
        }
    }

    private static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecureBytes, keyVersion: UInt32,
                             associatedData: AssociatedData, nonce fixed: UnsafeRawBufferPointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: overhead + plaintext.count)
        out[0] = formatVersion
        withUnsafeBytes(of: keyVersion.bigEndian) { kv in
            for i in 0..<4 { out[1 + i] = kv[i] }
        }
        let ad = associatedData.bytes + out[0..<headerBytes]
        out.withUnsafeMutableBytes { o in
            let nonce = UnsafeMutableRawBufferPointer(rebasing: o[headerBytes..<(headerBytes + nonceBytes)])
            if let fixed { nonce.copyMemory(from: fixed) } else { randombytes_buf(nonce.baseAddress!, nonceBytes) }
            key.withUnsafeBytes { k in
                ad.withUnsafeBytes { a in
                    XChaCha20Poly1305.encrypt(key: k, nonce: UnsafeRawBufferPointer(nonce), plaintext: plaintext, ad: a,
                                              out: UnsafeMutableRawBufferPointer(rebasing: o[(headerBytes + nonceBytes)...]))
                }
            }
        }
        return out
    }

    public static func seal(_ plaintext: [UInt8], key: SecureBytes, keyVersion: UInt32,
                            associatedData: AssociatedData) -> [UInt8] {
        plaintext.withUnsafeBytes { seal($0, key: key, keyVersion: keyVersion, associatedData: associatedData) }
    }

    /// The key version a box claims, read before choosing the key to open it with.
    public static func keyVersion(of box: UnsafeRawBufferPointer) throws(CryptoError) -> UInt32 {
        guard box.count >= overhead, box[0] == formatVersion else { throw .authenticationFailure }
        return UInt32(box[1]) << 24 | UInt32(box[2]) << 16 | UInt32(box[3]) << 8 | UInt32(box[4])
    }

    /// Opens a box; any change to any byte, a wrong key or wrong associated data is the same
    /// `authenticationFailure`, and nothing of the plaintext is returned.
    public static func open(_ box: UnsafeRawBufferPointer, key: SecureBytes, expectedKeyVersion: UInt32,
                            associatedData: AssociatedData) throws(CryptoError) -> PlaintextBuffer {
        guard try keyVersion(of: box) == expectedKeyVersion else { throw .authenticationFailure }
        let out = PlaintextBuffer(count: box.count - overhead)
        var ad = associatedData.bytes
        ad.append(contentsOf: box[0..<headerBytes])
        let nonce = UnsafeRawBufferPointer(rebasing: box[headerBytes..<(headerBytes + nonceBytes)])
        let cipher = UnsafeRawBufferPointer(rebasing: box[(headerBytes + nonceBytes)...])
        let outcome = out.withUnsafeMutableBytes { o in
            key.withUnsafeBytes { k in
                ad.withUnsafeBytes { a in
                    Result { () throws(CryptoError) in
                        try XChaCha20Poly1305.decrypt(key: k, nonce: nonce, ciphertext: cipher, ad: a, out: o)
                    }
                }
            }
        }
        try outcome.get()
        return out
    }

    public static func open(_ box: [UInt8], key: SecureBytes, expectedKeyVersion: UInt32,
                            associatedData: AssociatedData) throws(CryptoError) -> PlaintextBuffer {
        let outcome = box.withUnsafeBytes { b in
            Result { () throws(CryptoError) -> PlaintextBuffer in
                try open(b, key: key, expectedKeyVersion: expectedKeyVersion, associatedData: associatedData)
            }
        }
        return try outcome.get()
    }
}
