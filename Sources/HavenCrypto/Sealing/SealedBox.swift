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
    public static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    public static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    public static let overhead = headerBytes + nonceBytes + tagBytes

    /// Seals `plaintext` under `key` (32 bytes) with `associatedData`.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecureBytes, keyVersion: UInt32,
                            associatedData: AssociatedData) -> [UInt8] {
        Sodium.ready()
        precondition(key.count == Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES))
        var out = [UInt8](repeating: 0, count: overhead + plaintext.count)
        out[0] = formatVersion
        withUnsafeBytes(of: keyVersion.bigEndian) { kv in
            for i in 0..<4 { out[1 + i] = kv[i] }
        }
        let ad = associatedData.bytes + out[0..<headerBytes]
        out.withUnsafeMutableBytes { o in
            let nonce = o.baseAddress! + headerBytes
            randombytes_buf(nonce, nonceBytes)
            let cipher = (nonce + nonceBytes).assumingMemoryBound(to: UInt8.self)
            var written: UInt64 = 0
            let rc = key.withUnsafeBytes { k in
                ad.withUnsafeBufferPointer { a in
                    crypto_aead_xchacha20poly1305_ietf_encrypt(
                        cipher, &written,
                        plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                        a.baseAddress, UInt64(a.count), nil,
                        nonce.assumingMemoryBound(to: UInt8.self),
                        k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            // Encryption cannot fail for in-range sizes; a failure here is a broken library.
            precondition(rc == 0 && Int(written) == plaintext.count + tagBytes, "XChaCha20-Poly1305 encrypt failed")
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
        Sodium.ready()
        guard try keyVersion(of: box) == expectedKeyVersion else { throw .authenticationFailure }
        let plaintextCount = box.count - overhead
        let out = PlaintextBuffer(count: plaintextCount)
        var ad = associatedData.bytes
        ad.append(contentsOf: box[0..<headerBytes])
        let base = box.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let nonce = base + headerBytes
        let cipher = nonce + nonceBytes
        var written: UInt64 = 0
        let rc = out.withUnsafeMutableBytes { o in
            key.withUnsafeBytes { k in
                ad.withUnsafeBufferPointer { a in
                    crypto_aead_xchacha20poly1305_ietf_decrypt(
                        o.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, nil,
                        cipher, UInt64(plaintextCount + tagBytes),
                        a.baseAddress, UInt64(a.count),
                        nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        guard rc == 0, Int(written) == plaintextCount else { throw .authenticationFailure }
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
