import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

extension Vault {
    /// Longest purpose or break-glass reason accepted (they are stored in the audit log).
    static let maximumPurposeLength = 1000

    /// `record.read`: decide on the sealed header, open only the released fields, and
    /// answer once the audit entry naming them is durable.
    public func readRecord(_ ctx: RequestContext, id rawID: String, request: ReadRecordRequest) -> EventLoopFuture<RecordReadResult> {
        var record = RequestRecord(action: Action.recordRead.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordReadResult> in
            let user = try currentUser(ctx)
            record.identify(user)
            let id = try RecordID(rawID)
            record.event.record = id.rawValue
            // Into the log only once checked: a refused purpose must not bloat it or carry
            // escape sequences to an auditor's terminal.
            try FieldValueRules.checkText(request.purpose, what: "purpose", maximum: Self.maximumPurposeLength)
            if let reason = request.breakGlass {
                try FieldValueRules.checkText(reason, what: "break-glass reason", maximum: Self.maximumPurposeLength)
            }
            record.event.purpose = request.purpose
            record.event.breakGlass = request.breakGlass
            let policy = policies.policy
            let now = clock.now()
            let result = try readSnapshot { (view) throws(HavenError) -> RecordReadResult in
                let opened = try openRecord(id, in: view, policy: policy)
                let requested = try request.fields.map { (names) throws(HavenError) -> [FieldName] in
                    try names.map { (n) throws(HavenError) -> FieldName in try opened.type.field(named: n).name }
                }
                // Notes come with a whole-record read only, a page at a time: the decision and
                // the audit entry cover the page, and cost the same whatever the history.
                let history = HistoryRows(record: opened, db: view.db, logger: logger)
                let page = try HistoryPage(total: opened.header.noteCount, before: request.notesBefore,
                                           limit: request.notesLimit, what: "notes")
                let decide = { (notes: [NoteMetadata]) in
                    policy.decide(AccessRequest(
                        subject: self.subject(of: user), action: .recordRead, record: opened.facts(notes: notes),
                        fields: requested, purpose: request.purpose, breakGlassReason: request.breakGlass, now: now))
                }
                var notes = [HistoryRows.Note]()
                if requested == nil {
                    do throws(HavenError) {
                        notes = try history.notes(page)
                    } catch {
                        // Damaged history is named only to someone who may read the record.
                        let bare = decide([])
                        if !bare.allowed {
                            record.note(bare)
                            throw denial(bare)
                        }
                        throw error
                    }
                }
                let decision = decide(notes.map(\.metadata))
                record.note(decision)
                guard decision.allowed else { throw denial(decision) }
                return try release(decision, of: opened, notes: notes, notesTotal: requested == nil ? opened.header.noteCount : nil,
                                   on: view.db)
            }
            record.event.released = result.fields.map(\.0.rawValue) + result.notes.map { "note#\($0.metadata.index)" }
            let entry = record.event
            return writer.audit(on: ctx.eventLoop, entry).map { committed in
                var answer = result
                answer.auditSeq = committed.auditSeq
                return answer
            }
        }
    }

    /// Opens exactly the fields and notes a decision released (`notes`: the page decided on).
    func release(_ decision: Decision, of opened: OpenedRecord, notes page: [HistoryRows.Note] = [], notesTotal: UInt64? = nil,
                 on db: Connection) throws(HavenError) -> RecordReadResult {
        let stored = try storeCall(logger) { try RecordTable.fields(of: opened.header.id, on: db) }
        let byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var values = [(FieldName, PlaintextBuffer?)]()
        for name in decision.released {
            if opened.header.fieldVersions[name] == nil {
                values.append((name, nil))
            } else {
                values.append((name, try openField(name, of: opened, stored: byName)))
            }
        }
        var notes = [RecordReadResult.Note]()
        if !decision.releasedNotes.isEmpty {
            let byIndex = Dictionary(page.map { ($0.metadata.index, $0) }, uniquingKeysWith: { a, _ in a })
            for index in decision.releasedNotes {
                guard let note = byIndex[index] else { throw HavenError.integrity }
                let meta = note.metadata
                let text = note.sealedText.withUnsafeBytes { b in
                    Result { () throws(CryptoError) -> PlaintextBuffer in try opened.cipher.openNote(index: index, box: b) }
                }
                guard case .success(let plain) = text else {
                    logger.error("note failed its integrity check", metadata: ["record": "\(opened.header.id)", "note": "\(index)"])
                    throw HavenError.integrity
                }
                notes.append(.init(metadata: meta, text: plain))
            }
        }
        return RecordReadResult(
            id: opened.header.id, type: opened.header.type, agency: opened.header.agency, version: opened.header.version,
            fields: values, withheld: decision.withheld.map { ($0.field.rawValue, $0.reason) }, notes: notes,
            withheldNotes: decision.withheldNotes.map { ($0.index, $0.reason) }, notesTotal: notesTotal,
            breakGlass: decision.breakGlass)
    }

    /// A record changed twice while a snapshot read it, five times running.
    static let snapshotRaced = HavenError(.conflict, "the record changed while it was being read; try again")

    /// Runs `body` in one read snapshot; storage failures become `store_unavailable`. A
    /// snapshot that read a record just as a commit changed it reads again (`StateLedger`).
    /// `scan`: a read of a whole table, on a connection of its own (`ReaderPool.withScanSnapshot`).
    func readSnapshot<R>(scan: Bool = false, _ body: (StoreView) throws(HavenError) -> R) throws(HavenError) -> R {
        var attempt = 0
        while true {
            attempt += 1
            let since = ledger.generation
            var outcome: Result<R, HavenError>?
            do {
                let read = { (db: Connection) in
                    outcome = Result { () throws(HavenError) -> R in try body(StoreView(db: db, freshness: .reader(since: since))) }
                }
                if scan { try readers.withScanSnapshot(read) } else { try readers.withSnapshot(read) }
            } catch {
                logger.error("read snapshot failed", metadata: ["error": "\(error)"])
                throw HavenError.storeUnavailable
            }
            guard let outcome else { throw HavenError.storeUnavailable }
            if case .failure(let e) = outcome, e == Self.snapshotRaced, attempt < 5 { continue }
            return try outcome.get()
        }
    }
}
