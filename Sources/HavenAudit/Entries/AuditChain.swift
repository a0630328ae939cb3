import HavenCore

/// The head of the audit log: the next sequence number, the last leaf hash and the Merkle
/// frontier. Appending an event yields the exact bytes and hashes to store.
///
/// A value type on purpose: the writer copies it before a group of appends and puts the
/// copy back if the transaction fails, so memory never runs ahead of the database.
public struct AuditChain: Sendable, Equatable {
    public private(set) var frontier: MerkleFrontier
    public private(set) var lastLeafHash: [UInt8]
    public private(set) var lastTime: Timestamp

    public var size: UInt64 { frontier.size }

    /// What one append produced.
    public struct Appended: Sendable {
        public let seq: UInt64
        public let bytes: [UInt8]
        public let leafHash: [UInt8]
        /// A tile of 256 leaves this entry completed, to be stored for proofs.
        public let completedTile: (index: UInt64, hash: [UInt8])?
    }

    public init() {
        frontier = MerkleFrontier()
        lastLeafHash = [UInt8](repeating: 0, count: MerkleHash.byteCount)
        lastTime = Timestamp(millisecondsSinceEpoch: 0)
    }

    /// Resumes a log from its stored state (tiles, the leaves after the last tile, and the
    /// last entry's time).
    public init(frontier: MerkleFrontier, lastLeafHash: [UInt8], lastTime: Timestamp) {
        self.frontier = frontier
        self.lastLeafHash = frontier.size == 0 ? [UInt8](repeating: 0, count: MerkleHash.byteCount) : lastLeafHash
        self.lastTime = lastTime
    }

    /// Appends `event` at `time`. Entry times never go backwards, even if the clock does,
    /// so a time range of the log is always a contiguous run of sequence numbers.
    public mutating func append(_ event: AuditEvent, at time: Timestamp) -> Appended {
        let t = max(time, lastTime)
        let entry = AuditEntry(seq: frontier.size, time: t, previousLeafHash: lastLeafHash, event: event)
        let bytes = entry.canonicalBytes()
        let leaf = MerkleHash.leaf(bytes)
        let tile = frontier.append(leafHash: leaf)
        lastLeafHash = leaf
        lastTime = t
        return Appended(seq: entry.seq, bytes: bytes, leafHash: leaf, completedTile: tile)
    }
}
