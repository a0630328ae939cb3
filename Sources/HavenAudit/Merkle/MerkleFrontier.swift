/// The right edge of a growing Merkle tree: the roots of its complete subtrees, largest
/// first. Enough to append leaves and compute the current root in O(log n) memory, which
/// is how the daemon and the verifiers follow a log of millions of entries.
public struct MerkleFrontier: Sendable, Equatable {
    /// (height, hash) of each complete subtree, left to right; heights strictly decrease.
    public private(set) var subtrees: [(height: Int, hash: [UInt8])] = []
    public private(set) var size: UInt64 = 0

    public init() {}

    public static func == (a: MerkleFrontier, b: MerkleFrontier) -> Bool {
        a.size == b.size && a.subtrees.elementsEqual(b.subtrees) { $0.height == $1.height && $0.hash == $1.hash }
    }

    /// Appends a leaf hash. Returns the completed subtree of exactly `2^tileHeight` leaves,
    /// if this leaf completed one (callers persist those to make proofs cheap).
    @discardableResult
    public mutating func append(leafHash: [UInt8], tileHeight: Int = MerkleTiles.height) -> (index: UInt64, hash: [UInt8])? {
        var height = 0
        var hash = leafHash
        var completedTile: (UInt64, [UInt8])?
        while let last = subtrees.last, last.height == height {
            subtrees.removeLast()
            hash = MerkleHash.node(last.hash, hash)
            height += 1
            if height == tileHeight {
                completedTile = ((size + 1) / (1 << UInt64(tileHeight)) - 1, hash)
            }
        }
        subtrees.append((height, hash))
        size += 1
        return completedTile
    }

    /// The RFC 6962 root of the tree so far: the complete subtrees folded right to left.
    public func root() -> [UInt8] {
        guard var acc = subtrees.last?.hash else { return MerkleHash.emptyRoot }
        for s in subtrees.dropLast().reversed() {
            acc = MerkleHash.node(s.hash, acc)
        }
        return acc
    }

    /// Rebuilds a frontier from the hashes of complete tiles plus the leaves after them.
    public init(tiles: [[UInt8]], tileHeight: Int = MerkleTiles.height, trailingLeaves: [[UInt8]]) {
        var f = MerkleFrontier()
        for t in tiles {
            // Merge a tile as a subtree of height `tileHeight`.
            var height = tileHeight
            var hash = t
            while let last = f.subtrees.last, last.height == height {
                f.subtrees.removeLast()
                hash = MerkleHash.node(last.hash, hash)
                height += 1
            }
            f.subtrees.append((height, hash))
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
