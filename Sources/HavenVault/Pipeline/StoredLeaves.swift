import HavenAudit
import HavenStore

/// The audit tables as a Merkle leaf source, for proofs over the committed log.
struct StoredLeaves: MerkleLeafSource {
    let db: Connection

    func leafHashes(_ range: Range<UInt64>) throws -> [[UInt8]] {
        let hashes = try AuditTable.leafHashes(in: range, on: db)
        guard hashes.count == range.count else {
            throw AuditStoreGap(range: range, found: hashes.count)
        }
        return hashes
    }

    func tileHash(_ index: UInt64) throws -> [UInt8]? {
        try AuditTable.subtree(index: index, on: db)
    }
}

/// Leaves missing from the store: a proof cannot be made (the log is damaged).
struct AuditStoreGap: Error {
    let range: Range<UInt64>
    let found: Int
}
