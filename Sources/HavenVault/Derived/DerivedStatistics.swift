import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// The statistics rows as a kind of derived row: its fingerprint is `statistics_layout`,
/// the policy's `stats:` fields (`RecordStatisticsDeriver.layout`). Each row is made from
/// the record's sealed header and values and bound to the tag of its record row.
struct DerivedStatistics: DerivedRows {
    let deriver: RecordStatisticsDeriver
    let keys: VaultKeys

    var unopened: Logger.Message { "record has no statistics: it does not open" }

    func staleness(on db: Connection) throws -> DerivedRowsStaleness {
        let had = try StatisticsTable.layout(on: db)
        return had == deriver.layout ? .current : had.isEmpty ? .neverBuilt : .fieldsChanged
    }

    func removeAll(on db: Connection) throws {
        try StatisticsTable.removeAll(on: db)
    }

    func derive(_ record: DerivationSource, on db: Connection) throws {
        try StatisticsTable.put(record.row.id, try statistics(of: record), on: db)
    }

    func markCurrent(on db: Connection) throws {
        try StatisticsTable.setLayout(deriver.layout, on: db)
    }

    func rebuilt(_ outcome: DerivedRowsOutcome, logger: Logger) -> AuditEvent {
        logger.notice("statistics rebuilt", metadata: ["records": "\(outcome.records)"])
        var detail = ["records": String(outcome.records), "layout": deriver.layout]
        if !outcome.skipped.isEmpty { detail["not_counted"] = outcome.skipped.joined(separator: ",") }
        return AuditEvent(action: "vault.statistics", decision: .allow,
                          rule: outcome.staleness == .neverBuilt ? "statistics rows built for the fields the policy marks stats:"
                                                                 : "statistics rows rebuilt: the policy's stats: fields changed",
                          detail: detail)
    }

    private func statistics(of record: DerivationSource) throws(HavenError) -> StoredStatistics {
        let row = record.row
        let opened = row.sealedHeader.withUnsafeBytes { b in
            Result { () throws(HavenError) -> RecordHeader in try record.cipher.openHeader(b, version: row.version) }
        }
        guard case .success(let header) = opened else { throw HavenError.integrity }
        let values = try StatisticsValues.open(deriver.fieldNames(of: header.type), of: header, stored: record.fields,
                                               cipher: record.cipher)
        return deriver.row(header, values: values, rowTag: keys.rows.record(row), keys: keys)
    }
}
