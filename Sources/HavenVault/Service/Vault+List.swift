import HavenAPI
import HavenAudit
import HavenCore
import HavenPolicy
import HavenStore
import NIOCore

extension Vault {
    public static let maximumPageSize = 200

    /// `record.list`: metadata of the records in the caller's reach, a page at a time.
    /// Each row is checked against its sealed header, so an edited row is refused, not listed.
    public func listRecords(_ ctx: RequestContext, after rawAfter: String?, limit: Int?) -> EventLoopFuture<RecordListResponse> {
        var record = RequestRecord(action: Action.recordList.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordListResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let after = try rawAfter.map { (raw) throws(HavenError) -> RecordID in try RecordID(raw) }
            let pageSize = min(max(limit ?? 50, 1), Self.maximumPageSize)
            let policy = policies.policy
            let decision = policy.decide(AccessRequest(subject: subject(of: user), action: .recordList, now: clock.now()))
            record.note(decision)
            guard decision.allowed, let scope = decision.listScope else { throw denial(decision) }
            var findings = [String]()
            let page = try readSnapshot { (view) throws(HavenError) -> RecordListResponse in
                findings = []
                let rows = try storeCall(logger) { try RecordTable.list(scope: scope, after: after, limit: pageSize, on: view.db) }
                var out = [RecordSummary]()
                var damaged = [String]()
                for row in rows {
                    // One damaged record must not hide the others: it is left out, named by id,
                    // and what was found goes in the listing's audit entry.
                    let h: RecordHeader
                    do throws(HavenError) {
                        h = try openRecord(row.id, in: view, policy: policy).header
                    } catch {
                        guard error.code == .integrityError else { throw error }
                        findings.append(error.message)
                        damaged.append(row.id.rawValue)
                        continue
                    }
                    // The assignment index is only an index: the sealed header decides. A row
                    // someone added to it outside Haven lists nothing (and does not even name
                    // the record: it is not in this user's reach).
                    if case .assignedTo(let user) = scope, !h.assignees.contains(user) {
                        logger.error("assignment index row not in the record's sealed header", metadata: ["record": "\(h.id)"])
                        findings.append("the assignment index lists record \(h.id) for \(user), but the record's sealed header "
                                        + "does not assign it (an index row inserted outside Haven)")
                        continue
                    }
                    out.append(RecordSummary(id: h.id.rawValue, type: h.type.rawValue, agency: h.agency.rawValue,
                                             status: h.status.rawValue, version: h.version, createdAt: h.createdAt.rfc3339,
                                             createdBy: h.createdBy.rawValue, updatedAt: h.updatedAt.rfc3339,
                                             assignees: h.assignees.map(\.rawValue)))
                }
                return RecordListResponse(records: out, next: rows.count == pageSize ? rows.last?.id.rawValue : nil, damaged: damaged)
            }
            if !findings.isEmpty {
                record.event.detail["integrity"] = findings.joined(separator: "; ")
                record.event.detail["damaged"] = page.damaged.joined(separator: ",")
            }
            record.event.detail["count"] = String(page.records.count)
            return writer.audit(on: ctx.eventLoop, record.event).map { _ in page }
        }
    }
}
