import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// Brings the statistics rows to the deriver's layout at start, before the writer runs:
/// when `statistics_layout` differs from the policy's `stats:` fields (a vault upgraded to
/// schema 7, a root key rotated, a `stats:` key changed), every record's row is made again
/// from its sealed header and values, in one transaction, and audited as
/// `vault.statistics`. The log check at start has already vouched for every record row, so
/// its tag is the one each statistics row is bound to.
struct RecordStatisticsBuild {
    let db: Connection
    let keys: VaultKeys
    let deriver: RecordStatisticsDeriver
    let logger: Logger

    func run() throws -> AuditEvent? {
        let had = try StatisticsTable.layout(on: db)
        guard had != deriver.layout else { return nil }
        var records = 0
        var skipped = [String]()
        try db.transaction {
            try db.execute("DELETE FROM record_statistics")
            // A record left without a row is reported as not counted by queries, and a read
            // of it reports the damage.
            (records, skipped) = try EveryLiveRecord.visit(on: db, logger: logger, unopened: "record has no statistics: it does not open") { row in
                try StatisticsTable.put(row.id, try statistics(of: row), on: db)
            }
            try StatisticsTable.setLayout(deriver.layout, on: db)
        }
        db.resetStatements()
        guard records > 0 || !skipped.isEmpty else { return nil }
        logger.notice("statistics rebuilt", metadata: ["records": "\(records)"])
        var detail = ["records": String(records), "layout": deriver.layout]
        if !skipped.isEmpty { detail["not_counted"] = skipped.joined(separator: ",") }
        return AuditEvent(action: "vault.statistics", decision: .allow,
                          rule: had.isEmpty ? "statistics rows built for the fields the policy marks stats:"
                                            : "statistics rows rebuilt: the policy's stats: fields changed",
                          detail: detail)
    }

    private func statistics(of row: StoredRecord) throws(HavenError) -> StoredStatistics {
        let dataKey: SecureBytes
        do {
            dataKey = try keys.dataKeys.unwrap(row.wrappedKey, record: row.id, dataKeyVersion: row.dataKeyVersion)
        } catch {
            throw HavenError.integrity
        }
        let cipher = RecordCipher(vault: keys.vaultID, record: row.id, dataKey: dataKey, dataKeyVersion: row.dataKeyVersion)
        let opened = row.sealedHeader.withUnsafeBytes { b in
            Result { () throws(HavenError) -> RecordHeader in try cipher.openHeader(b, version: row.version) }
        }
        guard case .success(let header) = opened else { throw HavenError.integrity }
        let stored = try storeCall(logger) { try RecordTable.fields(of: row.id, on: db) }
        let values = try StatisticsValues.open(deriver.fieldNames(of: header.type), of: header, stored: stored, cipher: cipher)
        return deriver.row(header, values: values, rowTag: keys.rows.record(row), keys: keys)
    }
}

/// Opens the values a record's statistics need, each under the version its sealed header
/// names (a field rolled back outside Haven fails here, as it does on a read).
enum StatisticsValues {
    static func open(_ names: Set<FieldName>, of header: RecordHeader, stored: [StoredField],
                     cipher: RecordCipher) throws(HavenError) -> [FieldName: String] {
        var out = [FieldName: String]()
        for field in stored {
            guard let name = try? FieldName(field.name), names.contains(name) else { continue }
            guard let version = header.fieldVersions[name] else { throw HavenError.integrity }
            let value = field.ciphertext.withUnsafeBytes { b in
                Result { () throws(CryptoError) -> PlaintextBuffer in try cipher.openField(name, version: version, box: b) }
            }
            guard case .success(let plain) = value else { throw HavenError.integrity }
            out[name] = plain.string()
        }
        for name in names where header.fieldVersions[name] != nil && out[name] == nil { throw HavenError.integrity }
        return out
    }
}
