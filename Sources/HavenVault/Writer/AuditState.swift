import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// Rebuilds the head of the audit log from the database quickly: the stored tiles for every
/// complete 256-entry block, then the entries after the last tile, re-hashed from their
/// bytes so that new entries link to what is actually stored. For the bench seeder, which
/// fills a vault it has just made; the daemon resumes only from a full check
/// (`StartupCheck`), which trusts no stored tile.
enum AuditState {
    static func load(on db: Connection) throws -> AuditChain {
        let count = try AuditTable.count(on: db)
        guard count > 0 else { return AuditChain() }
        var tiles = try AuditTable.subtrees(on: db)
        let completeTiles = Int(count / MerkleTiles.size)
        if tiles.count > completeTiles { tiles.removeLast(tiles.count - completeTiles) }
        // Tiles missing (an older file, or a table that was tampered with): recompute them.
        while tiles.count < completeTiles {
            let start = UInt64(tiles.count) * MerkleTiles.size
            let leaves = try AuditTable.leafHashes(in: start..<(start + MerkleTiles.size), on: db)
            tiles.append(MerkleTree<InMemoryLeaves>.hashInMemory(leaves[...]))
        }
        let tailStart = UInt64(completeTiles) * MerkleTiles.size
        var tail = [[UInt8]]()
        var lastBytes = [UInt8]()
        try AuditTable.forEachEntry(in: tailStart..<count, on: db) { _, entry, _ in
            tail.append(MerkleHash.leaf(entry))
        }
        lastBytes = try AuditTable.entry(seq: count - 1, on: db) ?? []
        let frontier = MerkleFrontier(tiles: tiles, trailingLeaves: tail)
        let lastEntry = try? AuditEntry(canonicalBytes: lastBytes)
        return AuditChain(frontier: frontier, lastLeafHash: MerkleHash.leaf(lastBytes),
                          lastTime: lastEntry?.time ?? Timestamp(millisecondsSinceEpoch: 0))
    }
}
