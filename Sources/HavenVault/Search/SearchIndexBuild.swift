import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// Brings the search index to the indexer's layout at start, before the writer runs: when
/// `search_fields` differs from what the policy marks searchable (a vault upgraded to
/// schema 6, a root key rotated, a `search:` key added or changed), every row is built
/// again from the records' sealed values, in one transaction, and the start is audited
/// with what was indexed. The log check at start has already vouched for every record row
/// (its wrapped key and header); the field rows are vouched for by each search.
struct SearchIndexBuild {
    let db: Connection
    let keys: VaultKeys
    let indexer: SearchIndexer
    let logger: Logger

    /// The audit entry of a rebuild; nil when the index was already the indexer's, or there
    /// was no record to index.
    func run() throws -> AuditEvent? {
        let wanted = indexer.layout
        let had = try SearchIndexTable.layout(on: db)
        guard had != wanted else { return nil }
        var records = 0
        var skipped = [String]()
        try db.transaction {
            try SearchIndexTable.removeAll(on: db)
            // Indexed without a record that does not open: a search never finds it, and a
            // read of it reports the damage.
            (records, skipped) = try EveryLiveRecord.visit(on: db, logger: logger, unopened: "record not indexed: it does not open") { row in
                try SearchIndexTable.insert(row.id, try entries(of: row), on: db)
            }
            try SearchIndexTable.setLayout(wanted, on: db)
        }
        db.resetStatements()
        // An empty vault (just made, or a policy changed before the first record) has
        // nothing indexed to account for.
        guard records > 0 || !skipped.isEmpty else { return nil }
        let fields = wanted.map { "\($0.field):\($0.kind):\($0.bits)" }.sorted().joined(separator: ",")
        logger.notice("search index rebuilt", metadata: ["records": "\(records)", "fields": "\(fields)"])
        var detail = ["fields": fields, "records": String(records)]
        if !skipped.isEmpty { detail["not_indexed"] = skipped.joined(separator: ",") }
        return AuditEvent(action: "vault.reindex", decision: .allow,
                          rule: had.isEmpty ? "search index built for the fields the policy marks searchable"
                                            : "search index rebuilt: the policy's searchable fields changed",
                          detail: detail)
    }

    /// The rows of one record: its indexed fields' values, each opened under the version its
    /// row names. The sealed header is not opened (it would be most of the cost): a field
    /// rolled back outside Haven opens under its old version and indexes its old value, a
    /// candidate that every search then confirms against the header and drops, naming the
    /// damage in its audit entry — as it does with any index row it cannot trust.
    private func entries(of row: StoredRecord) throws(HavenError) -> [SearchIndexEntry] {
        let dataKey: SecureBytes
        do {
            dataKey = try keys.dataKeys.unwrap(row.wrappedKey, record: row.id, dataKeyVersion: row.dataKeyVersion)
        } catch {
            throw HavenError.integrity
        }
        let cipher = RecordCipher(vault: keys.vaultID, record: row.id, dataKey: dataKey, dataKeyVersion: row.dataKeyVersion)
        let stored = try storeCall(logger) { try RecordTable.fields(of: row.id, on: db) }
        var values = [(FieldName, String)]()
        for field in stored {
            guard let name = try? FieldName(field.name), indexer.fields[name] != nil else { continue }
            let value = field.ciphertext.withUnsafeBytes { b in
                Result { () throws(CryptoError) -> PlaintextBuffer in try cipher.openField(name, version: field.version, box: b) }
            }
            guard case .success(let plain) = value else { throw HavenError.integrity }
            values.append((name, plain.string()))
        }
        return indexer.entries(values)
    }
}
