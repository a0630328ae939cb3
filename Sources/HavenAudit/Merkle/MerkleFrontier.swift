import HavenCrypto

/// The right edge of a growing Merkle tree: the roots of its complete subtrees, largest
/// first. Enough to append leaves and compute the current root in O(log n) memory, which
/// is how the daemon and the verifiers follow a log of millions of entries.
public struct MerkleFrontier: Sendable, Equatable {
    /// (height, hash) of each complete subtree, left to right; heights strictly decrease.
    private var nodes: [(height: Int, hash: Digest32)] = []
    public private(set) var size: UInt64 = 0

    public init() {}

    public static func == (a: MerkleFrontier, b: MerkleFrontier) -> Bool {
        a.size == b.size && a.nodes.elementsEqual(b.nodes) { $0.height == $1.height && $0.hash == $1.hash }
    }

    /// Appends a leaf hash. Returns the completed subtree of exactly `2^tileHeight` leaves,
    /// if this leaf completed one (callers persist those to make proofs cheap).
    @discardableResult
    public mutating func append(leaf: Digest32, tileHeight: Int = MerkleTiles.height) -> (index: UInt64, hash: [UInt8])? {
        var height = 0
        var hash = leaf
        var completedTile: (UInt64, [UInt8])?
        while let last = nodes.last, last.height == height {
            nodes.removeLast()
            hash = MerkleHash.nodeDigest(last.hash, hash)
            height += 1
            if height == tileHeight {
                completedTile = ((size + 1) / (1 << UInt64(tileHeight)) - 1, hash.bytes)
            }
        }
        nodes.append((height, hash))
        size += 1
        return completedTile
    }

    @discardableResult
    public mutating func append(leafHash: [UInt8], tileHeight: Int = MerkleTiles.height) -> (index: UInt64, hash: [UInt8])? {
        append(leaf: Digest32(leafHash)!, tileHeight: tileHeight)
    }

    /// Appends a complete subtree of 2^height leaves. The tree's size must be a multiple
    /// of 2^height (the subtree is aligned), as it is when a verifier absorbs a chunk.
    public mutating func append(subtree: Digest32, height: Int) {
        precondition(size % (UInt64(1) << UInt64(height)) == 0, "an appended subtree must be aligned")
        var h = height
        var hash = subtree
        while let last = nodes.last, last.height == h {
            nodes.removeLast()
            hash = MerkleHash.nodeDigest(last.hash, hash)
            h += 1
        }
        nodes.append((h, hash))
        size += UInt64(1) << UInt64(height)
    }

    /// The RFC 6962 root of the tree so far: the complete subtrees folded right to left.
    public func rootDigest() -> Digest32? {
        rootDigest(followedBy: [])
    }

    /// The root of this tree followed by `more` complete subtrees (largest first), without
    /// appending them: the root at a size inside a chunk a verifier is absorbing.
    func rootDigest(followedBy more: [Digest32]) -> Digest32? {
        let all = nodes.map(\.hash) + more
        guard var acc = all.last else { return nil }
        for h in all.dropLast().reversed() {
            acc = MerkleHash.nodeDigest(h, acc)
        }
        return acc
    }

    public func root() -> [UInt8] {
        rootDigest()?.bytes ?? MerkleHash.emptyRoot
    }

    /// The hashes of the complete subtrees, largest first: with the size, the whole state.
    public var subtreeHashes: [[UInt8]] { nodes.map(\.hash.bytes) }

    /// Rebuilds a frontier from its size and subtree hashes (as an export carries them).
    /// The heights follow from the size: one subtree per set bit, largest first.
    public init?(size: UInt64, subtreeHashes: [[UInt8]]) {
        var heights = [Int]()
        for bit in stride(from: 63, through: 0, by: -1) where size & (UInt64(1) << UInt64(bit)) != 0 {
            heights.append(bit)
        }
        let digests = subtreeHashes.compactMap { Digest32($0) }
        guard heights.count == subtreeHashes.count, digests.count == subtreeHashes.count else { return nil }
        self.size = size
        self.nodes = Array(zip(heights, digests))
    }

    /// Rebuilds a frontier from the hashes of complete tiles plus the leaves after them.
    public init(tiles: [[UInt8]], tileHeight: Int = MerkleTiles.height, trailingLeaves: [[UInt8]]) {
        var f = MerkleFrontier()
        for t in tiles {
            // Merge a tile as a subtree of height `tileHeight`.
            var height = tileHeight
            var hash = Digest32(t)!
            while let last = f.nodes.last, last.height == height {
                f.nodes.removeLast()
                hash = MerkleHash.nodeDigest(last.hash, hash)
                height += 1
            }
            f.nodes.append((height, hash))
            f.size += UInt64(1) << UInt64(tileHeight)
        }
        for leaf in trailingLeaves { f.append(leafHash: leaf, tileHeight: tileHeight) }
        self = f
    }
}

/// The size of the subtrees whose hashes Haven stores: 2^8 = 256 leaves. Proofs then read
/// at most 256 leaf hashes plus one tile hash per 256 entries, instead of every leaf.
public enum MerkleTiles {
    public static let height = 8
    public static let size: UInt64 = 1 << 8
}
