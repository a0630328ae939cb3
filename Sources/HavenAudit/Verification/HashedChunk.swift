import HavenCrypto

/// The expensive part of verifying a run of consecutive entries, done apart so that runs
/// can be hashed on several cores at once: each entry's leaf hash, its parsed head, the
/// comparison with its stored hash, and every complete subtree of the run.
///
/// A chunk starts at a multiple of `alignment` (a power of two no smaller than its length),
/// so its complete subtrees are also complete subtrees of the whole log.
public struct HashedChunk: @unchecked Sendable {
    public static let defaultAlignment = 4096

    public let start: UInt64
    public let alignment: Int
    var heads: [EntryHead?] = []
    var storedOK: [Bool?] = []
    /// levels[0] are the leaf hashes; levels[j][k] is the subtree of leaves k·2^j ..< (k+1)·2^j.
    var levels: [[Digest32]] = [[]]

    public init(start: UInt64, alignment: Int = HashedChunk.defaultAlignment) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0)
        self.start = start
        self.alignment = alignment
        heads.reserveCapacity(alignment)
        storedOK.reserveCapacity(alignment)
        levels[0].reserveCapacity(alignment)
    }

    public var count: Int { levels[0].count }

    /// Hashes and parses one entry, on the calling thread.
    public mutating func add(entry: UnsafeRawBufferPointer, storedLeafHash: UnsafeRawBufferPointer?) {
        precondition(count < alignment, "a chunk holds at most `alignment` entries")
        let leaf = MerkleHash.leafDigest(entry)
        levels[0].append(leaf)
        heads.append(EntryHead(entry))
        storedOK.append(storedLeafHash.map { $0.count == Digest32.byteCount && Digest32(unsafeBytes: $0) == leaf })
    }

    /// Builds the complete subtrees; call once, after the last entry.
    public mutating func finish() {
        var level = 0
        while levels[level].count >= 2 {
            let below = levels[level]
            var up = [Digest32]()
            up.reserveCapacity(below.count / 2)
            var k = 0
            while k + 1 < below.count {
                up.append(MerkleHash.nodeDigest(below[k], below[k + 1]))
                k += 2
            }
            levels.append(up)
            level += 1
        }
    }

    /// The hashes of the chunk's complete subtrees of 2^height leaves, left to right (the
    /// stored tiles, at height `MerkleTiles.height`, must equal these).
    public func subtrees(height: Int) -> [Digest32] {
        height < levels.count ? levels[height] : []
    }

    /// The complete subtrees that make up the first `k` entries of the chunk, largest first.
    func pieces(upTo k: Int) -> [(height: Int, hash: Digest32)] {
        var out = [(height: Int, hash: Digest32)]()
        var offset = 0
        for height in stride(from: levels.count - 1, through: 0, by: -1) where k & (1 << height) != 0 {
            out.append((height, levels[height][offset >> height]))
            offset += 1 << height
        }
        return out
    }
}
