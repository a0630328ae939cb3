import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

/// Records: create, read, update, assign, note, list and erase (`vault.records`). Every
/// request goes through the pipeline; a change to an existing record through `RecordChanges`.
public struct RecordService: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys
    /// The blind indexes a new record's searchable values get.
    let indexer: SearchIndexer
    /// The duplicate check at creation (a `record.find` of its own).
    let duplicates: SearchService
    let statistics: RecordStatisticsDeriver
    let changes: RecordChanges
    let shredder: RecordShredder
    /// Archives waiting to be fetched, emptied by an erasure (they would keep the record).
    let spool: BackupSpool
    /// How much history one record may hold.
    let historyLimits: HistoryLimits

    /// Most records one page of `record list` shows.
    public static let maximumPageSize = 200

    /// `record.create`: validate against the schema, decide, seal every value under a new
    /// data key (`NewRecord`), and store the record with its audit entry in one transaction.
    public func create(_ ctx: RequestContext, request: CreateRecordRequest) -> EventLoopFuture<RecordWriteResponse> {
        var entry = pipeline.begin(Action.recordCreate.rawValue, ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let user = try pipeline.caller(ctx, &entry)
            let policy = pipeline.policies.policy
            let type = try policy.recordType(named: request.type)
            entry.event.detail["type"] = type.name.rawValue
            let values = try RecordValues.validated(request.fields, of: type, requireAll: true)
            entry.event.written = values.map(\.0.name.rawValue)
            let assignees = try (request.assign ?? []).map { (raw) throws(HavenError) -> EnrolledUser in try pipeline.activeUser(raw) }
            let now = pipeline.clock.now()
            let subject = RequestPipeline.subject(of: user)
            let decision = policy.decide(AccessRequest(subject: subject, action: .recordCreate, recordType: type,
                                                       fields: values.map(\.0.name), now: now))
            try RequestPipeline.require(decision, &entry)
            // A record takes its creator's agency; one the policy no longer lists takes none.
            try policy.agencies.check(user.agency, what: "the agency of \(user.name), who would create the record")
            if !assignees.isEmpty {
                // Assigning at creation is an assignment of the new record: decided as one.
                let newRecord = RecordFacts(id: RecordID(bytes: [UInt8](repeating: 0, count: 16)), type: type, agency: user.agency,
                                            assignees: [], consent: ConsentState(), notes: [], presentFields: [])
                for assignee in assignees {
                    let assign = policy.decide(AccessRequest(subject: subject, action: .recordAssign, record: newRecord,
                                                             assigneeRole: assignee.role, now: now,
                                                             assigneeAgency: assignee.agency, assignee: assignee.name))
                    guard assign.allowed else {
                        entry.note(assign)
                        throw RequestPipeline.denial(assign)
                    }
                }
                entry.event.detail["assigned"] = assignees.map(\.name.rawValue).joined(separator: ",")
            }

            // Looked for before the record exists, so it never finds itself; created all
            // the same (two records of one survivor are for people to join, not to refuse).
            var findings = [String]()
            let found = try duplicates.possibleDuplicates(of: values, for: user, policy: policy, findings: &findings)
            if let found {
                // How many, never which: the ids are the creator's to see, not the log's to keep.
                entry.event.detail["possible_duplicates"] = String(found.count)
                entry.event.detail["duplicates_elsewhere"] = found.result.elsewhereDetail
                if found.unchecked > 0 { entry.event.detail["duplicates_unchecked"] = String(found.unchecked) }
            }
            if !findings.isEmpty { entry.event.detail["integrity"] = findings.joined(separator: "; ") }
            let answer = found?.answer

            // Everything is sealed here, on the request's thread: a new record depends on no
            // stored state, so the writer only inserts rows.
            let record = try NewRecord(values: values, of: type, by: user, assignees: assignees.map(\.name), decision: decision,
                                       at: now, keys: keys, search: indexer, statistics: statistics)
            entry.event.record = record.id.rawValue
            entry.event.detail["record_version"] = "1"
            let logger = pipeline.logger
            let numbers = CaseNumbers(keys: keys, logger: logger)
            return pipeline.change(ctx, entry) { (tx, _) throws(HavenError) -> RecordWriteResponse in
                try storeCall(logger) { try record.insert(on: tx.db) }
                // In the same transaction: a record never exists without its number.
                let number = try numbers.assign(record.id, agency: user.agency, policy: policy, at: now, on: tx.db)
                tx.wrote(.record(record.id), record.state)
                return RecordWriteResponse(id: record.id.rawValue, version: record.header.version, possibleDuplicates: answer,
                                           caseNumber: number)
            }.map(\.value)
        }
    }
}
