import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
import NIOCore

/// The shared path of every change to an existing record (an update, an assignment, a
/// note, a consent event, a referral's step): in the writer's transaction, open the latest
/// header, decide, let the capability change the header (and seal what it adds), then store
/// the next version of the header, the new ciphertexts and the record's statistics together.
struct RecordChanges: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys
    let statistics: RecordStatisticsDeriver

    typealias Apply = @Sendable (inout RecordHeader, OpenedRecord, Timestamp) throws(HavenError) -> RecordChange

    /// A change decided by `Policy.decide` on `request`.
    func change(_ ctx: RequestContext, _ entry: AuditEntryDraft, id: RecordID, user: EnrolledUser,
                request: @escaping @Sendable (RecordFacts, Timestamp) -> AccessRequest,
                apply: @escaping Apply) -> EventLoopFuture<Committed<RecordWriteResponse>> {
        change(ctx, entry, id: id, user: user, decide: { policy, facts, now in policy.decide(request(facts, now)) }, apply: apply)
    }

    /// The same, for a change decided otherwise than by `Policy.decide` (a referral's step).
    func change(_ ctx: RequestContext, _ entry: AuditEntryDraft, id: RecordID, user: EnrolledUser,
                decide: @escaping @Sendable (Policy, RecordFacts, Timestamp) throws(HavenError) -> Decision,
                apply: @escaping Apply) -> EventLoopFuture<Committed<RecordWriteResponse>> {
        let policy = pipeline.policies.policy
        return pipeline.change(ctx, entry) { [self] (tx, entry) throws(HavenError) -> RecordWriteResponse in
            try write(tx, &entry, id: id, by: user.name, policy: policy, decide: decide, apply: apply)
        }
    }

    /// The change itself, in the writer's transaction: also how a restore applies a
    /// journaled withdrawal or referral revocation again (`decide` nil: the act was decided
    /// when it was first made).
    func write(_ tx: WriteTransaction, _ entry: inout AuditEntryDraft, id: RecordID, by user: UserName, policy: Policy,
               decide: (@Sendable (Policy, RecordFacts, Timestamp) throws(HavenError) -> Decision)?,
               apply: Apply) throws(HavenError) -> RecordWriteResponse {
        let logger = pipeline.logger
        let opened = try pipeline.opener.open(id, in: .writer(tx.db), policy: policy)
        if let decide { try RequestPipeline.require(try decide(policy, opened.facts, tx.now), &entry) }
        var header = opened.header
        try HistoryRows.moveInline(&header, cipher: opened.cipher, on: tx.db, logger: logger)
        header.touch(by: user, at: tx.now)
        let change = try apply(&header, opened, tx.now)
        entry.event.detail.merge(change.detail) { _, new in new }
        // The version each change produced, so an auditor can spot a record restored
        // to an earlier state (which the sealing alone cannot detect).
        entry.event.detail["record_version"] = String(header.version)
        let row = StoredRecord(id: id, type: opened.row.type, agency: opened.row.agency, status: header.status.rawValue,
                               version: header.version, createdAt: opened.row.createdAt, updatedAt: tx.now,
                               dataKeyVersion: opened.row.dataKeyVersion, wrappedKey: opened.row.wrappedKey,
                               sealedHeader: opened.cipher.sealHeader(header))
        // Every change gives the row a new state tag, which the record's statistics are
        // bound to: they are sealed again beside it, from the header as it now stands.
        let tag = keys.rows.record(row)
        let statisticsRow = try statisticsRow(header, opened: opened, changed: change.statisticsValues, rowTag: tag, on: tx.db)
        try storeCall(logger) {
            guard try RecordTable.update(row, expectedVersion: opened.header.version, on: tx.db) else {
                throw HavenError(.conflict, "record \(id) changed while this request ran; try again")
            }
            for field in change.fields { try RecordTable.putField(id, field, on: tx.db) }
            if let note = change.note {
                try HistoryTable.putNote(id, index: note.index, meta: note.meta, ciphertext: note.ciphertext, on: tx.db)
            }
            if let event = change.consentEvent {
                try HistoryTable.putConsentEvent(id, index: event.index, sealed: event.sealed, on: tx.db)
            }
            if change.assigneesChanged { try RecordTable.setAssignees(id, header.assignees, on: tx.db) }
            for event in change.referralEvents {
                try ReferralTable.putEvent(id, index: event.index, sealed: event.sealed, on: tx.db)
            }
            for referral in change.referrals { try ReferralTable.put(referral.row, isNew: referral.isNew, on: tx.db) }
            if !change.searchFields.isEmpty {
                try SearchIndexTable.remove(id, fields: change.searchFields, on: tx.db)
                try SearchIndexTable.insert(id, change.searchRows, on: tx.db)
            }
            try StatisticsTable.put(id, statisticsRow, on: tx.db)
        }
        if let agency = change.caseNumberAt {
            try CaseNumbers(keys: keys, logger: logger).assign(id, agency: agency, policy: policy, at: tx.now, on: tx.db)
        }
        tx.wrote(.record(id), tag)
        return RecordWriteResponse(id: id.rawValue, version: header.version)
    }

    /// The statistics row of a record's next state: the values the statistics read, as
    /// stored (opened under the versions the header names) or as this change writes them.
    private func statisticsRow(_ header: RecordHeader, opened: OpenedRecord, changed: [FieldName: String], rowTag: Tag16,
                               on db: Connection) throws(HavenError) -> StoredStatistics {
        // A change that writes no field the statistics read (a note, a consent, an
        // assignment) changes only the consent they carry: the previous row is opened and
        // sealed again beside the new state, without opening a field.
        if changed.isEmpty, let previous = try previousStatistics(opened, on: db) {
            return statistics.row(updating: previous, header, rowTag: rowTag, keys: keys)
        }
        let names = statistics.fieldNames(of: header.type).subtracting(changed.keys)
        var values = changed
        if !names.isEmpty {
            let stored = try storeCall(pipeline.logger) { try RecordTable.fields(of: header.id, on: db) }
            let current = try StatisticsValues.open(names, of: opened.header, stored: stored, cipher: opened.cipher)
            values.merge(current) { new, _ in new }
        }
        return statistics.row(header, values: values, rowTag: rowTag, keys: keys)
    }

    /// The record's statistics as its previous state sealed them; nil when there is no row
    /// or it does not open under that state (then they are made again from the fields).
    private func previousStatistics(_ opened: OpenedRecord, on db: Connection) throws(HavenError) -> RecordStatistics? {
        guard let stored = try storeCall(pipeline.logger, { try StatisticsTable.get(opened.header.id, on: db) }),
              let tag = Tag16(stored.rowTag), tag == keys.rows.record(opened.row) else { return nil }
        let id = Array(opened.header.id.rawValue.utf8)
        let opener = keys.statistics.opener()
        return stored.sealed.withUnsafeBytes { b in
            id.withUnsafeBytes { r in (try? opener.open(b, record: r, rowTag: tag) { RecordStatistics(decoding: Array($0)) }) ?? nil }
        }
    }
}
