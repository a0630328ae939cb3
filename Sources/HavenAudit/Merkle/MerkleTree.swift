/// Where a tree's leaf hashes come from: memory in tests and offline verification, the
/// audit tables in the daemon.
public protocol MerkleLeafSource {
    func leafHashes(_ range: Range<UInt64>) throws -> [[UInt8]]
    /// The hash of complete tile `index` (leaves `index*256 ..< (index+1)*256`), if stored.
    func tileHash(_ index: UInt64) throws -> [UInt8]?
}

/// RFC 6962 §2.1 tree hashes and proofs (PATH and SUBPROOF) over a tree of `size` leaves.
public struct MerkleTree<Source: MerkleLeafSource> {
    public let size: UInt64
    let source: Source

    public init(size: UInt64, source: Source) {
        self.size = size
        self.source = source
    }

    /// MTH(D[0:size]).
    public func root() throws -> [UInt8] {
        size == 0 ? MerkleHash.emptyRoot : try hash(0..<size)
    }

    /// The hashes of the complete subtrees that make up the first `prefix` leaves, largest
    /// first: the state a verifier needs to start from entry `prefix`.
    public func subtreeHashes(ofPrefix prefix: UInt64) throws -> [[UInt8]] {
        precondition(prefix <= size)
        var out = [[UInt8]]()
        var start: UInt64 = 0
        for bit in stride(from: 63, through: 0, by: -1) where prefix & (UInt64(1) << UInt64(bit)) != 0 {
            let width = UInt64(1) << UInt64(bit)
            out.append(try hash(start..<(start + width)))
            start += width
        }
        return out
    }

    /// The audit path of leaf `index` (RFC 6962 §2.1.1, PATH(m, D[n])).
    public func inclusionProof(index: UInt64) throws -> [[UInt8]] {
        precondition(index < size, "leaf \(index) is not in a tree of size \(size)")
        return try path(index, 0..<size)
    }

    /// The proof that the tree of `oldSize` leaves is a prefix of this one (RFC 6962 §2.1.2).
    public func consistencyProof(from oldSize: UInt64) throws -> [[UInt8]] {
        precondition(oldSize <= size)
        guard oldSize > 0, oldSize < size else { return [] }
        return try subproof(oldSize, 0..<size, complete: true)
    }

    private func path(_ m: UInt64, _ range: Range<UInt64>) throws -> [[UInt8]] {
        let n = UInt64(range.count)
        guard n > 1 else { return [] }
        let k = largestPowerOfTwo(below: n)
        let mid = range.lowerBound + k
        if m < k {
            return try path(m, range.lowerBound..<mid) + [hash(mid..<range.upperBound)]
        }
        return try path(m - k, mid..<range.upperBound) + [hash(range.lowerBound..<mid)]
    }

    private func subproof(_ m: UInt64, _ range: Range<UInt64>, complete: Bool) throws -> [[UInt8]] {
        let n = UInt64(range.count)
        if m == n { return complete ? [] : [try hash(range)] }
        let k = largestPowerOfTwo(below: n)
        let mid = range.lowerBound + k
        if m <= k {
            return try subproof(m, range.lowerBound..<mid, complete: complete) + [hash(mid..<range.upperBound)]
        }
        return try subproof(m - k, mid..<range.upperBound, complete: false) + [hash(range.lowerBound..<mid)]
    }

    /// MTH of a range that the recursion produces: either an aligned complete subtree, or a
    /// right edge. Complete tiles come from the source when it has them.
    func hash(_ range: Range<UInt64>) throws -> [UInt8] {
        let n = UInt64(range.count)
        if n == MerkleTiles.size, range.lowerBound % MerkleTiles.size == 0,
           let tile = try source.tileHash(range.lowerBound / MerkleTiles.size) {
            return tile
        }
        if n <= MerkleTiles.size {
            return Self.hashInMemory(try source.leafHashes(range)[...])
        }
        let k = largestPowerOfTwo(below: n)
        let mid = range.lowerBound + k
        return MerkleHash.node(try hash(range.lowerBound..<mid), try hash(mid..<range.upperBound))
    }

    public static func hashInMemory(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return leaves.first! }
        let k = Int(largestPowerOfTwo(below: UInt64(leaves.count)))
        let mid = leaves.startIndex + k
        return MerkleHash.node(hashInMemory(leaves[leaves.startIndex..<mid]), hashInMemory(leaves[mid...]))
    }
}

/// The largest power of two strictly less than n (n ≥ 2), the split point of RFC 6962.
func largestPowerOfTwo(below n: UInt64) -> UInt64 {
    precondition(n >= 2)
    return UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
}

/// Leaf hashes held in memory.
public struct InMemoryLeaves: MerkleLeafSource {
    public let hashes: [[UInt8]]

    public init(_ hashes: [[UInt8]]) {
        self.hashes = hashes
    }

    public func leafHashes(_ range: Range<UInt64>) throws -> [[UInt8]] {
        Array(hashes[Int(range.lowerBound)..<Int(range.upperBound)])
    }

    public func tileHash(_ index: UInt64) throws -> [UInt8]? { nil }
}
