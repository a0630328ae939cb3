import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
import NIOCore

/// What a change to an existing record writes besides its new header.
struct RecordChange {
    var fields: [StoredField] = []
    var note: (index: UInt64, meta: [UInt8], ciphertext: [UInt8])?
    var consentEvent: (index: UInt64, sealed: [UInt8])?
    var assigneesChanged = false
    /// Indexed fields given new values, whose search index rows are replaced by `searchRows`.
    var searchFields: [String] = []
    var searchRows: [SearchIndexEntry] = []
    /// New values of fields the statistics read (the rest are opened as stored).
    var statisticsValues: [FieldName: String] = [:]
    /// A step of a referral: its sealed history row, and its index row as it now stands.
    var referralEvent: (index: UInt64, sealed: [UInt8])?
    var referral: (row: StoredReferral, isNew: Bool)?
}

extension Vault {
    /// The shared path of every change to an existing record: in the writer's transaction,
    /// open the latest header, decide, let `apply` change the header (and seal what it
    /// adds), then store the next version of the header and the new ciphertexts together.
    func changeRecord(_ ctx: RequestContext, _ record: RequestRecord, id: RecordID, user: EnrolledUser,
                      request: @escaping @Sendable (RecordFacts, Timestamp) -> AccessRequest,
                      apply: @escaping @Sendable (inout RecordHeader, OpenedRecord, Timestamp) throws(HavenError) -> RecordChange)
        -> EventLoopFuture<Committed<RecordWriteResponse>> {
        changeRecord(ctx, record, id: id, user: user, decide: { policy, facts, now in policy.decide(request(facts, now)) },
                     apply: apply)
    }

    /// The same, for a change decided otherwise than by `Policy.decide` (a referral's step).
    func changeRecord(_ ctx: RequestContext, _ record: RequestRecord, id: RecordID, user: EnrolledUser,
                      decide: @escaping @Sendable (Policy, RecordFacts, Timestamp) throws(HavenError) -> Decision,
                      apply: @escaping @Sendable (inout RecordHeader, OpenedRecord, Timestamp) throws(HavenError) -> RecordChange)
        -> EventLoopFuture<Committed<RecordWriteResponse>> {
        let policy = policies.policy
        let logger = self.logger
        return change(ctx, record) { [self] (tx, record) throws(HavenError) -> RecordWriteResponse in
            let opened = try openRecord(id, in: .writer(tx.db), policy: policy)
            let decision = try decide(policy, opened.facts, tx.now)
            record.note(decision)
            guard decision.allowed else { throw denial(decision) }
            var header = opened.header
            try HistoryRows.moveInline(&header, cipher: opened.cipher, on: tx.db, logger: logger)
            header.touch(by: user.name, at: tx.now)
            let change = try apply(&header, opened, tx.now)
            // The version each change produced, so an auditor can spot a record restored
            // to an earlier state (which the sealing alone cannot detect).
            record.event.detail["record_version"] = String(header.version)
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
                if let event = change.referralEvent {
                    try ReferralTable.putEvent(id, index: event.index, sealed: event.sealed, on: tx.db)
                }
                if let referral = change.referral { try ReferralTable.put(referral.row, isNew: referral.isNew, on: tx.db) }
                if !change.searchFields.isEmpty {
                    try SearchIndexTable.remove(id, fields: change.searchFields, on: tx.db)
                    try SearchIndexTable.insert(id, change.searchRows, on: tx.db)
                }
                try StatisticsTable.put(id, statisticsRow, on: tx.db)
            }
            tx.wrote(.record(id), tag)
            return RecordWriteResponse(id: id.rawValue, version: header.version)
        }
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
            let stored = try storeCall(logger) { try RecordTable.fields(of: header.id, on: db) }
            let current = try StatisticsValues.open(names, of: opened.header, stored: stored, cipher: opened.cipher)
            values.merge(current) { new, _ in new }
        }
        return statistics.row(header, values: values, rowTag: rowTag, keys: keys)
    }

    /// The record's statistics as its previous state sealed them; nil when there is no row
    /// or it does not open under that state (then they are made again from the fields).
    private func previousStatistics(_ opened: OpenedRecord, on db: Connection) throws(HavenError) -> RecordStatistics? {
        guard let stored = try storeCall(logger, { try StatisticsTable.get(opened.header.id, on: db) }),
              let tag = Tag16(stored.rowTag), tag == keys.rows.record(opened.row) else { return nil }
        let id = Array(opened.header.id.rawValue.utf8)
        let opener = keys.statistics.opener()
        return stored.sealed.withUnsafeBytes { b in
            id.withUnsafeBytes { r in (try? opener.open(b, record: r, rowTag: tag) { RecordStatistics(decoding: Array($0)) }) ?? nil }
        }
    }

    /// `record.update`: new values get the next version of their field, sealed with it.
    public func updateRecord(_ ctx: RequestContext, id rawID: String, request: UpdateRecordRequest) -> EventLoopFuture<RecordWriteResponse> {
        var record = RequestRecord(action: Action.recordUpdate.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let id = try RecordID(rawID)
            record.event.record = id.rawValue
            guard !request.fields.isEmpty else { throw HavenError(.badRequest, "no fields to update") }
            record.event.written = request.fields.keys.sorted()
            let subject = subject(of: user)
            let fields = request.fields
            return changeRecord(ctx, record, id: id, user: user, request: { facts, now in
                // Unknown names are caught by validation below, with the field named.
                AccessRequest(subject: subject, action: .recordUpdate, record: facts,
                              fields: fields.keys.sorted().compactMap { try? FieldName($0) }, now: now)
            }, apply: { (header, opened, _) throws(HavenError) -> RecordChange in
                var change = RecordChange()
                let values = try self.validatedValues(fields, of: opened.type, requireAll: false)
                for (spec, value) in values {
                    let version = (header.fieldVersions[spec.name] ?? 0) + 1
                    header.fieldVersions[spec.name] = version
                    change.fields.append(StoredField(name: spec.name.rawValue, version: version,
                                                     ciphertext: opened.cipher.sealField(spec.name, version: version, value: value)))
                }
                change.searchFields = values.map(\.0.name).filter { self.search.fields[$0] != nil }.map(\.rawValue)
                change.searchRows = self.search.entries(values.map { ($0.0.name, $0.1) })
                for (spec, value) in values where spec.stats != nil { change.statisticsValues[spec.name] = value }
                return change
            }).map(\.value)
        }
    }

    /// `record.assign`: adds a user to the record's assignees.
    public func assignRecord(_ ctx: RequestContext, id rawID: String, request: AssignRequest) -> EventLoopFuture<RecordWriteResponse> {
        var record = RequestRecord(action: Action.recordAssign.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let id = try RecordID(rawID)
            record.event.record = id.rawValue
            let assignee = try activeUser(request.user)
            record.event.detail["assigned"] = assignee.name.rawValue
            let subject = subject(of: user)
            return changeRecord(ctx, record, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .recordAssign, record: facts, assigneeRole: assignee.role, now: now)
            }, apply: { (header, _, _) throws(HavenError) -> RecordChange in
                header.assign(assignee.name)
                return RecordChange(assigneesChanged: true)
            }).map(\.value)
        }
    }

    /// `note.add`: appends a sealed note; notes are never edited or removed.
    public func addNote(_ ctx: RequestContext, id rawID: String, request: AddNoteRequest) -> EventLoopFuture<RecordWriteResponse> {
        var record = RequestRecord(action: Action.noteAdd.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let id = try RecordID(rawID)
            record.event.record = id.rawValue
            guard let noteClass = FieldClass(rawValue: request.noteClass) else {
                throw HavenError(.invalidValue, "unknown note class '\(NameRules.printable(request.noteClass))'",
                                 hint: "one of: \(FieldClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            record.event.detail["note_class"] = noteClass.rawValue
            try FieldValueRules.checkText(request.text, what: "note", maximum: HistoryLimits.noteCharacters)
            guard !request.text.isEmpty else { throw HavenError(.invalidValue, "the note is empty") }
            let subject = subject(of: user)
            let text = request.text
            let limits = historyLimits
            return changeRecord(ctx, record, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .noteAdd, record: facts, noteClass: noteClass, now: now)
            }, apply: { (header, opened, now) throws(HavenError) -> RecordChange in
                try limits.checkNote(after: header.noteCount)
                let meta = header.addNote(noteClass, by: subject.user, at: now)
                return RecordChange(note: (meta.index, opened.cipher.sealNoteMetadata(meta),
                                           opened.cipher.sealNote(index: meta.index, text: text)))
            }).map(\.value)
        }
    }
}
