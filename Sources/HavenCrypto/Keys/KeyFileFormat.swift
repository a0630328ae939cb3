import CSodium
import HavenCore

/// The text formats of Haven's key files (FORMAT.md, "key files").
///
/// A key file is UTF-8 text: any number of comment lines starting with `#`, then one line
/// `<label>:<base64>`. Labels name the kind and version of key, so a public key can never
/// be loaded where a secret one is expected, or a user key where the root key is.
public enum KeyFileKind: String, Sendable, CaseIterable {
    case ed25519Secret = "haven-ed25519-secret-v1"
    case ed25519Public = "haven-ed25519-public-v1"
    case rootKey = "haven-root-key-v1"
    case rootKeyPassphrase = "haven-root-passphrase-v1"
    case rootKeyShare = "haven-root-share-v1"
    case rootShareSet = "haven-root-share-set-v1"
    case rootKeySealedShare = "haven-root-share-sealed-v1"
    case personKey = "haven-person-key-v1"

    var byteCount: Int {
        switch self {
        case .ed25519Secret: return SigningKey.seedBytes
        case .ed25519Public: return PublicKey.byteCount
        case .rootKey: return RootKey.byteCount
        case .rootKeyPassphrase: return PassphraseSeal.byteCount
        case .rootKeyShare: return ShareFile.byteCount
        case .rootShareSet: return 0
        case .rootKeySealedShare: return SealedShareFile.byteCount
        case .personKey: return PersonKeySeal.byteCount
        }
    }

    /// Kinds whose length is not fixed (a share set holds one check value per share).
    var isVariable: Bool { byteCount == 0 }

    var comment: String {
        switch self {
        case .ed25519Secret: return "# Haven Ed25519 secret key. Keep private: mode 0600, never shared."
        case .ed25519Public: return "# Haven Ed25519 public key."
        case .rootKey: return "# Haven vault root key. Whoever holds it and the data directory can read every record."
        case .rootKeyPassphrase: return "# Haven vault root key, sealed under a passphrase (Argon2id). Useless without the passphrase."
        case .rootKeyShare: return "# Haven vault root key share. With enough other shares of this vault it opens every record: keep it apart."
        case .rootShareSet: return "# Haven: which root key shares open this vault (check values only, no secret)."
        case .rootKeySealedShare: return "# Haven vault root key share, sealed to its custodian's key: only they can open it."
        case .personKey: return "# Haven browser desk: one person's key, sealed under their passphrase (Argon2id). Useless without it."
        }
    }
}

public enum KeyFileFormat {
    /// Formats key bytes as a key file, writing through guarded memory for secrets.
    public static func encode(kind: KeyFileKind, key: UnsafeRawBufferPointer) -> SecureBytes {
        precondition(key.count == kind.byteCount || (kind.isVariable && key.count > 0))
        let header = Array("\(kind.comment)\n\(kind.rawValue):".utf8)
        let b64Len = sodium_base64_encoded_len(key.count, sodium_base64_VARIANT_ORIGINAL)  // includes NUL
        let total = header.count + b64Len - 1 + 1
        return try! SecureBytes(count: total) { out in
            let base = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            header.withUnsafeBufferPointer { h in base.update(from: h.baseAddress!, count: h.count) }
            let b64 = UnsafeMutableRawPointer(base + header.count).assumingMemoryBound(to: CChar.self)
            // Returns its output pointer, not a status: the lengths above are the ones it asks for.
            _ = sodium_bin2base64(b64, b64Len, key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count,
                                  sodium_base64_VARIANT_ORIGINAL)
            base[total - 1] = UInt8(ascii: "\n")  // replaces the NUL terminator
        }
    }

    public static func encodePublic(_ key: PublicKey) -> String {
        let secure = key.bytes.withUnsafeBytes { encode(kind: .ed25519Public, key: $0) }
        return secure.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Parses a key file held in guarded memory; the decoded key never touches ordinary memory.
    public static func decode(kind: KeyFileKind, file: UnsafeRawBufferPointer) throws(CryptoError) -> SecureBytes {
        let bytes = file.bindMemory(to: UInt8.self)
        var lineStart = 0
        var key: SecureBytes?
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            defer { lineStart = lineEnd + 1 }
            if contentEnd == lineStart || bytes[lineStart] == UInt8(ascii: "#") { continue }
            // One key per file: a second key line is refused, never resolved (a tool that
            // takes the last line would hold another key than Haven).
            guard key == nil else { throw .invalidFormat("more than one key line") }
            key = try decodeLine(kind: kind, bytes: UnsafeBufferPointer(rebasing: bytes[lineStart..<contentEnd]))
        }
        guard let key else { throw .invalidFormat("no key line found") }
        return key
    }

    private static func decodeLine(kind: KeyFileKind, bytes: UnsafeBufferPointer<UInt8>) throws(CryptoError) -> SecureBytes {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            throw .invalidFormat("expected '\(kind.rawValue):<base64>'")
        }
        let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self)
        guard label == kind.rawValue else {
            if let other = KeyFileKind(rawValue: label) {
                throw .invalidKey("this is a \(other.rawValue) file, not a \(kind.rawValue) file")
            }
            throw .invalidFormat("unknown key file label '\(NameRules.printable(label))'")
        }
        let b64 = UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])
        if kind.isVariable { return try decodeVariable(kind: kind, b64: b64) }
        var decodedLength = 0
        let key = try? SecureBytes(count: kind.byteCount) { out in
            let rc = b64.withMemoryRebound(to: CChar.self) { chars in
                sodium_base642bin(out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                                  chars.baseAddress, chars.count, nil, &decodedLength, nil,
                                  sodium_base64_VARIANT_ORIGINAL)
            }
            try Sodium.check(rc, "sodium_base642bin")
        }
        guard let key, decodedLength == kind.byteCount else {
            throw .invalidFormat("the key is not \(kind.byteCount) bytes of base64")
        }
        return key
    }

    /// A variable-length key line: decoded into a buffer as long as the base64 could hold, then
    /// copied into one of the decoded length.
    private static func decodeVariable(kind: KeyFileKind, b64: UnsafeBufferPointer<UInt8>) throws(CryptoError) -> SecureBytes {
        var decodedLength = 0
        let capacity = max(1, b64.count / 4 * 3 + 3)
        guard let buffer = try? SecureBytes(count: capacity, fill: { out in
            let rc = b64.withMemoryRebound(to: CChar.self) { chars in
                sodium_base642bin(out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                                  chars.baseAddress, chars.count, nil, &decodedLength, nil, sodium_base64_VARIANT_ORIGINAL)
            }
            try Sodium.check(rc, "sodium_base642bin")
        }), decodedLength > 0 else {
            throw .invalidFormat("the \(kind.rawValue) line is not base64")
        }
        guard let exact = try? SecureBytes(count: decodedLength, fill: { out in
            buffer.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<decodedLength])) }
        }) else { throw .libsodium("cannot allocate protected memory") }
        return exact
    }
}
