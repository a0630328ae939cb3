import HavenAPI
import HavenCore
import HavenPolicy
import NIOCore

extension RecordService {
    /// `record.read`: decide on the sealed header, open only the released fields, and
    /// answer once the audit entry naming them is durable.
    public func read(_ ctx: RequestContext, id rawID: String, request: ReadRecordRequest) -> EventLoopFuture<RecordReadResult> {
        pipeline.handle(Action.recordRead.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordReadResult> in
            // Into the log only once checked: a refused purpose must not bloat it or carry
            // escape sequences to an auditor's terminal.
            try FieldValueRules.checkText(request.purpose, what: "purpose", maximum: FieldValueRules.maximumPurposeLength)
            if let reason = request.breakGlass {
                // Numbers are sequential: with break-glass they would walk every record of a year.
                guard id.rawValue == rawID else {
                    throw HavenError(.invalidValue, "break-glass is refused for a record named by its case number",
                                     hint: "name the record by its id for a break-glass read")
                }
                try FieldValueRules.checkText(reason, what: "break-glass reason", maximum: FieldValueRules.maximumPurposeLength)
            }
            entry.event.purpose = request.purpose
            entry.event.breakGlass = request.breakGlass
            let policy = pipeline.policies.policy
            let now = pipeline.clock.now()
            let opener = pipeline.opener
            let logger = pipeline.logger
            let result = try pipeline.readSnapshot { (view) throws(HavenError) -> RecordReadResult in
                let opened = try opener.open(id, in: view, policy: policy)
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
                        subject: RequestPipeline.subject(of: user), action: .recordRead, record: opened.facts(notes: notes),
                        fields: requested, purpose: request.purpose, breakGlassReason: request.breakGlass, now: now))
                }
                var notes = [HistoryRows.Note]()
                if requested == nil {
                    do throws(HavenError) {
                        notes = try history.notes(page)
                    } catch {
                        // Damaged history is named only to someone who may read the record.
                        let bare = decide([])
                        if !bare.allowed { try RequestPipeline.require(bare, &entry) }
                        throw error
                    }
                }
                let decision = decide(notes.map(\.metadata))
                try RequestPipeline.require(decision, &entry)
                var released = try opener.release(decision, of: opened, notes: notes,
                                                  notesTotal: requested == nil ? opened.header.noteCount : nil, on: view.db)
                released.caseNumber = try CaseNumbers(keys: keys, logger: logger)
                    .known(id, owner: opened.header.agency, caller: user.agency, on: view.db)
                if requested == nil && opened.header.agency == user.agency {
                    released.assignees = opened.header.assignees.map(\.rawValue)
                }
                return released
            }
            entry.event.released = result.fields.map(\.0.rawValue) + result.notes.map { "note#\($0.metadata.index)" }
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event).map { committed in
                var answer = result
                answer.auditSeq = committed.auditSeq
                return answer
            }
        }
    }
}
