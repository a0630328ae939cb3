import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// Rebuilds the head of the audit log from the database at start: the stored tiles for
/// every complete 256-entry block, then the entries after the last tile, re-hashed from
/// their bytes so that new entries link to what is actually stored.
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

extension AuditState {
    /// A quick look at the log's head at start: does the latest signed checkpoint still
    /// match the stored log? Not a substitute for `haven audit verify`, but a log cut short
    /// or rewritten since the last checkpoint is reported at once, in the daemon's log and
    /// in the `daemon.start` entry, before anything new is appended.
    static func problem(chain: AuditChain, latest: SignedCheckpoint?, vault: VaultID, key: PublicKey) -> String? {
        guard let latest else { return chain.size > 0 ? "the audit log has entries but no checkpoint" : nil }
        do {
            try latest.verify(with: key, vault: vault)
        } catch {
            return "the latest checkpoint does not verify: \(error.message)"
        }
        if latest.checkpoint.size > chain.size {
            return "the audit log has \(chain.size) entries but its latest checkpoint covers \(latest.checkpoint.size): entries were removed"
        }
        if latest.checkpoint.size == chain.size, latest.checkpoint.root != chain.frontier.root() {
            return "the audit log no longer matches its latest checkpoint (size \(latest.checkpoint.size)): entries were altered"
        }
        return nil
    }
}
