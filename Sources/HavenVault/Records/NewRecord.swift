import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

/// A new record made whole before it reaches the store: values and an allowed decision in;
/// sealed fields, sealed header, row, state tag, search index rows and statistics row out.
/// Nothing here reads or writes the database, so the writer only inserts rows, and all of it
/// is checked without one (NewRecordTests).
struct NewRecord: Sendable {
    let id: RecordID
    let header: RecordHeader
    let row: StoredRecord
    let fields: [StoredField]
    let searchRows: [SearchIndexEntry]
    let statisticsRow: StoredStatistics
    /// The row's state tag, which the writer records in the state ledger with the row.
    let state: Tag16

    /// `decision`: the `record.create` decision on these values; a refusal seals nothing.
    /// `id` and `dataKey` are fresh random values except in tests.
    init(values: [(FieldSpec, String)], of type: RecordType, by creator: EnrolledUser, assignees: [UserName],
         decision: Decision, at now: Timestamp, keys: VaultKeys, search: SearchIndexer, statistics: RecordStatisticsDeriver,
         id: RecordID = RecordID(bytes: Random.bytes(16)), dataKey: SecureBytes = DataKey.generate()) throws(HavenError) {
        guard decision.allowed else { throw RequestPipeline.denial(decision) }
        self.id = id
        // Version 1 of every field and of the header, under a data key of the record's own:
        // the key is bound to the record id and its version by the wrapping, each value to
        // the record, field and version by its AAD (HavenCrypto FORMAT.md).
        let cipher = RecordCipher(vault: keys.vaultID, record: id, dataKey: dataKey, dataKeyVersion: 1)
        var versions = [FieldName: UInt64]()
        var sealed = [StoredField]()
        for (spec, value) in values {
            versions[spec.name] = 1
            sealed.append(StoredField(name: spec.name.rawValue, version: 1,
                                      ciphertext: cipher.sealField(spec.name, version: 1, value: value)))
        }
        fields = sealed
        // A record takes its creator's agency.
        header = RecordHeader(id: id, type: type.name, agency: creator.agency, createdAt: now, createdBy: creator.name,
                              assignees: assignees, fieldVersions: versions)
        row = StoredRecord(id: id, type: type.name.rawValue, agency: creator.agency.rawValue, status: header.status.rawValue,
                           version: header.version, createdAt: now, updatedAt: now, dataKeyVersion: 1,
                           wrappedKey: keys.dataKeys.wrap(dataKey, record: id, dataKeyVersion: 1),
                           sealedHeader: cipher.sealHeader(header))
        searchRows = search.entries(values.map { ($0.0.name, $0.1) }, agency: creator.agency.rawValue)
        state = keys.rows.record(row)
        var statisticsValues = [FieldName: String]()
        for (spec, value) in values where spec.stats != nil { statisticsValues[spec.name] = value }
        // Bound to the row's state tag: statistics kept from another state of the record do not open.
        statisticsRow = statistics.row(header, values: statisticsValues, rowTag: state, keys: keys)
    }

    /// Inserts the record's rows in the writer's transaction.
    func insert(on db: Connection) throws {
        try RecordTable.insert(row, on: db)
        for field in fields { try RecordTable.putField(id, field, on: db) }
        try RecordTable.setAssignees(id, header.assignees, on: db)
        try SearchIndexTable.insert(id, searchRows, on: db)
        try StatisticsTable.put(id, statisticsRow, on: db)
    }
}
