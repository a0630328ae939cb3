import HavenCrypto

/// The tree's hashing: RFC 6962 §2.1's construction — leaves and interior nodes get
/// different prefixes (0x00 and 0x01), so a leaf can never be passed off as an interior
/// node (second-preimage attacks on the tree) — with BLAKE2b-256 as the hash.
public enum MerkleHash {
    public static let byteCount = 32

    /// The root of the empty tree: the hash of nothing.
    public static let emptyRoot: [UInt8] = BLAKE2b.digest256(UnsafeRawBufferPointer(start: nil, count: 0)).bytes

    /// `H(0x00 || entry)`.
    public static func leafDigest(_ entry: UnsafeRawBufferPointer) -> Digest32 {
        withUnsafeTemporaryAllocation(byteCount: entry.count + 1, alignment: 16) { buffer in
            buffer[0] = 0x00
            if entry.count > 0 { UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: entry) }
            return BLAKE2b.digest256(UnsafeRawBufferPointer(buffer))
        }
    }

    /// `H(0x01 || left || right)`.
    public static func nodeDigest(_ left: Digest32, _ right: Digest32) -> Digest32 {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 16) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            return BLAKE2b.digest256(UnsafeRawBufferPointer(buffer))
        }
    }

    public static func leaf(_ entry: UnsafeRawBufferPointer) -> [UInt8] {
        leafDigest(entry).bytes
    }

    public static func leaf(_ entry: [UInt8]) -> [UInt8] {
        entry.withUnsafeBytes { leaf($0) }
    }

    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        nodeDigest(Digest32(left)!, Digest32(right)!).bytes
    }
}
