import HavenCore
import HavenStore
import Logging

/// Crypto-shredding of one opened record, in the writer's transaction. Used by
/// `record.erase` (which then journals the erasure beside the anchor) and again by a
/// restore, which re-applies the erasures journaled since its archive was made.
struct RecordShredder: Sendable {
    let keys: VaultKeys
    let logger: Logger

    /// Deletes an opened record's key, header and history rows, leaving its tombstone, in
    /// the writer's transaction; the caller has decided it may.
    func shred(_ opened: OpenedRecord, erasedBy: UserName, in tx: WriteTransaction,
               _ entry: inout AuditEntryDraft) throws(HavenError) -> RecordTombstone {
        let id = opened.header.id
        let tombstone = RecordTombstone(createdBy: opened.header.createdBy, erasedAt: tx.now, erasedBy: erasedBy)
        let row = StoredRecord(id: id, type: opened.row.type, agency: opened.row.agency, status: RecordTombstone.status,
                               version: opened.row.version + 1, createdAt: opened.row.createdAt, updatedAt: tx.now,
                               dataKeyVersion: opened.row.dataKeyVersion, wrappedKey: [], sealedHeader: tombstone.bytes)
        let erased = try storeCall(logger) { try RecordTable.erase(row, expectedVersion: opened.row.version, on: tx.db) }
        guard erased else { throw HavenError(.conflict, "record \(id) changed while it was being erased; try again") }
        entry.event.detail["fields"] = String(opened.header.fieldVersions.count)
        entry.event.detail["notes"] = String(opened.header.noteCount)
        entry.event.detail["consent_events"] = String(opened.header.consent.count)
        tx.wrote(.record(id), keys.rows.record(row))
        tx.requestWALPurge()
        return tombstone
    }
}
