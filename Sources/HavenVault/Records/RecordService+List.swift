import HavenAPI
import HavenCore
import HavenPolicy
import HavenStore
import Logging
import NIOCore

extension RecordService {
    /// `record.list`: metadata of the records in the caller's reach, a page at a time, by last
    /// change (`order` newest or oldest, `after` a cursor) or by id (no order: earlier
    /// releases' clients, `after` a record id). Each row is checked against its sealed
    /// header, so an edited row is refused, not listed.
    public func list(_ ctx: RequestContext, order rawOrder: String? = nil, after rawAfter: String?,
                            limit: Int?) -> EventLoopFuture<RecordListResponse> {
        var entry = pipeline.begin(Action.recordList.rawValue, ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<RecordListResponse> in
            let user = try pipeline.caller(ctx, &entry)
            let order = try rawOrder.map { (raw) throws(HavenError) -> RecordOrder in
                guard let o = RecordOrder(rawValue: raw), o != .id else {
                    throw HavenError(.invalidValue, "order must be newest or oldest, not '\(NameRules.printable(raw))'")
                }
                return o
            } ?? .id
            let start: RecordTable.ListStart = order == .id
                ? .afterID(try rawAfter.map { (raw) throws(HavenError) -> RecordID in try RecordID(raw) })
                : .afterCursor(try rawAfter.map { (raw) throws(HavenError) -> RecordCursor in try RecordCursor(raw) })
            let pageSize = min(max(limit ?? 50, 1), Self.maximumPageSize)
            let policy = pipeline.policies.policy
            let subject = RequestPipeline.subject(of: user)
            let now = pipeline.clock.now()
            let decision = policy.decide(AccessRequest(subject: subject, action: .recordList, now: now))
            entry.note(decision)
            guard decision.allowed, let scope = decision.listScope else { throw RequestPipeline.denial(decision) }
            let (opener, logger) = (pipeline.opener, pipeline.logger)
            let numbers = CaseNumbers(keys: keys, logger: logger)
            var findings = [String]()
            let page = try pipeline.readSnapshot { (view) throws(HavenError) -> RecordListResponse in
                findings = []
                let referred = try Self.referredListed(scope: scope, to: subject, in: view, opener: opener, policy: policy,
                                                       now: now, logger: logger)
                let rows = try storeCall(logger) {
                    try RecordTable.list(scope: scope, order: order, start: start, limit: pageSize, referred: referred, on: view.db)
                }
                let remaining = try storeCall(logger) { () throws -> Int64 in
                    guard rows.count == pageSize, let last = rows.last else { return 0 }
                    return try RecordTable.remaining(scope: scope, order: order, after: last, referred: referred, on: view.db)
                }
                var out = [RecordSummary]()
                var damaged = [String]()
                for row in rows {
                    // One damaged record must not hide the others: it is left out, named by id,
                    // and what was found goes in the listing's audit entry.
                    let opened: OpenedRecord
                    do throws(HavenError) {
                        opened = try opener.open(row.id, in: view, policy: policy)
                    } catch where error.code == .erased {
                        // Listed as erased to its own agency (an erased record has no assignees
                        // and no referral in force), with no more than its tombstone.
                        guard Self.listsErased(row, scope: scope), let t = RecordTombstone(bytes: row.sealedHeader) else { continue }
                        out.append(RecordSummary(id: row.id.rawValue, type: row.type, agency: row.agency, status: row.status,
                                                 version: row.version, createdAt: row.createdAt.rfc3339,
                                                 createdBy: t.createdBy.rawValue, updatedAt: row.updatedAt.rfc3339, assignees: []))
                        continue
                    } catch {
                        guard error.code == .integrityError else { throw error }
                        findings.append(error.message)
                        damaged.append(row.id.rawValue)
                        continue
                    }
                    let h = opened.header
                    // The assignment and referral indexes are only indexes: the sealed header
                    // decides, as a read would. A row someone added to them outside Haven lists
                    // nothing (and does not even name the record: it is not in this user's reach).
                    guard policy.lists(opened.facts, to: subject, now: now) else {
                        if case .assignedTo(let user, let agency) = scope, h.agency == agency, !h.assignees.contains(user),
                           !h.referrals.contains(where: { $0.to == agency }) {
                            logger.error("assignment index row not in the record's sealed header", metadata: ["record": "\(h.id)"])
                            findings.append("the assignment index lists record \(h.id) for \(user), but the record's sealed header "
                                            + "does not assign it (an index row inserted outside Haven)")
                        }
                        continue
                    }
                    // Another agency's record (referred to the caller's) names none of that
                    // agency's staff: who wrote it and who works it there stay with it.
                    let ours = h.agency == user.agency
                    out.append(RecordSummary(id: h.id.rawValue, type: h.type.rawValue, agency: h.agency.rawValue,
                                             status: h.status.rawValue, version: h.version, createdAt: h.createdAt.rfc3339,
                                             createdBy: ours ? h.createdBy.rawValue : "", updatedAt: h.updatedAt.rfc3339,
                                             assignees: ours ? h.assignees.map(\.rawValue) : [],
                                             caseNumber: numbers.shown(h.id, owner: h.agency, caller: user.agency, on: view.db)))
                }
                // The cursor is the last row's, listed or not, so a damaged record ends no listing.
                let next = remaining == 0 ? nil : rows.last.map {
                    order == .id ? $0.id.rawValue : RecordCursor(updatedAt: $0.updatedAt, id: $0.id).description
                }
                return RecordListResponse(records: out, next: next, damaged: damaged,
                                          remaining: order == .id ? nil : Int(remaining))
            }
            if !findings.isEmpty {
                entry.event.detail["integrity"] = findings.joined(separator: "; ")
                entry.event.detail["damaged"] = page.damaged.joined(separator: ",")
            }
            entry.event.detail["count"] = String(page.records.count)
            return pipeline.answer(ctx, entry, page)
        }
    }

    /// For a user's scope, the records referred to the agency that this user may list (those
    /// whose accepted referral is assigned to them, as the sealed header says), or a damaged
    /// one (named as damaged on its page, as any); nil for other scopes, which list every
    /// record referred to the agency that stands. Opened before paging, all of them (an
    /// agency's accepted referrals are few), so the page and its count of what remains hold
    /// only records the caller may see: the count says nothing of the agency's other cases.
    static func referredListed(scope: RecordScope, to subject: Subject, in view: StoreView, opener: RecordOpener,
                               policy: Policy, now: Timestamp, logger: Logger) throws(HavenError) -> [RecordID]? {
        guard case .assignedTo(_, let agency) = scope else { return nil }
        let rows = try storeCall(logger) { try RecordTable.referred(to: agency, on: view.db) }
        var listed = [RecordID]()
        for row in rows {
            do throws(HavenError) {
                let opened = try opener.open(row.id, in: view, policy: policy)
                if policy.lists(opened.facts, to: subject, now: now) { listed.append(row.id) }
            } catch where error.code == .integrityError {
                listed.append(row.id)
            } catch where error.code == .erased {
                continue
            }
        }
        return listed
    }

    /// An erased record's tombstone is listed only to the roles of its own agency (or any).
    static func listsErased(_ row: StoredRecord, scope: RecordScope) -> Bool {
        switch scope {
        case .all: true
        case .agency(let agency): row.agency == agency.rawValue
        case .assignedTo: false
        }
    }
}
