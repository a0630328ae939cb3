import HavenCrypto

/// RFC 6962 §2.1 hashing with SHA-256: leaves and interior nodes get different prefixes
/// (0x00 and 0x01), so a leaf can never be passed off as an interior node (second-preimage
/// attacks on the tree).
public enum MerkleHash {
    public static let byteCount = 32

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyRoot: [UInt8] = SHA256.hash([UInt8]())

    public static func leaf(_ entry: UnsafeRawBufferPointer) -> [UInt8] {
        var h = SHA256()
        h.update(byte: 0x00)
        h.update(entry)
        return h.finalize()
    }

    public static func leaf(_ entry: [UInt8]) -> [UInt8] {
        entry.withUnsafeBytes { leaf($0) }
    }

    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(byte: 0x01)
        h.update(left)
        h.update(right)
        return h.finalize()
    }
}
