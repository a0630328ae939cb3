import Foundation
import HavenAPI
import HavenCore
import HavenVault
import NIOCore
import NIOHTTP1

/// A complete request as the connection handler hands it over.
struct IncomingRequest {
    let head: HTTPRequestHead
    let path: String
    let query: [String: String]
    let body: RequestBody?

    init(head: HTTPRequestHead, body: RequestBody?) {
        self.head = head
        self.body = body
        let components = URLComponents(string: head.uri)
        path = components?.percentEncodedPath ?? head.uri
        var query = [String: String]()
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.query = query
    }
}

/// Maps each authenticated route to the vault and its answer to JSON.
struct Endpoints: Sendable {
    let vault: Vault

    func dispatch(_ route: Route, _ request: IncomingRequest, _ ctx: RequestContext) -> EventLoopFuture<Response> {
        let loop = ctx.eventLoop
        do throws(HavenError) {
            switch route {
            case .status:
                return vault.sessions.status(ctx).map { .json(JSONAnswer.encode($0)) }
            case .createRecord:
                let body = try JSONBody.decode(CreateRecordRequest.self, from: request.body)
                return vault.records.create(ctx, request: body).map { .json(JSONAnswer.encode($0), status: .created) }
            case .listRecords:
                let limit = try QueryParameters(values: request.query).int("limit")
                return vault.records.list(ctx, order: request.query["order"], after: request.query["after"], limit: limit)
                    .map { .json(JSONAnswer.encode($0)) }
            case .findRecords:
                let body = try JSONBody.decode(FindRecordsRequest.self, from: request.body)
                return vault.search.find(ctx, request: body).map { .json(JSONAnswer.encode($0)) }
            case .incidentStatistics:
                let body = try JSONBody.decode(IncidentStatisticsRequest.self, from: request.body)
                return vault.statistics.incidents(ctx, request: body).map { .json(JSONAnswer.encode($0)) }
            case .readRecord(let id):
                let body = try JSONBody.decode(ReadRecordRequest.self, from: request.body)
                return vault.records.read(ctx, id: id, request: body).map { .sensitive($0.json()) }
            case .updateRecord(let id):
                let body = try JSONBody.decode(UpdateRecordRequest.self, from: request.body)
                return vault.records.update(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0)) }
            case .assignRecord(let id):
                let body = try JSONBody.decode(AssignRequest.self, from: request.body)
                return vault.records.assign(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0)) }
            case .unassignRecord(let id):
                let body = try JSONBody.decode(AssignRequest.self, from: request.body)
                return vault.records.unassign(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0)) }
            case .eraseRecord(let id):
                let body = try JSONBody.decode(EraseRecordRequest.self, from: request.body)
                return vault.records.erase(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0)) }
            case .addNote(let id):
                let body = try JSONBody.decode(AddNoteRequest.self, from: request.body)
                return vault.records.addNote(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0), status: .created) }
            case .changeConsent(let id):
                let body = try JSONBody.decode(ConsentChangeRequest.self, from: request.body)
                return vault.consent.change(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0)) }
            case .createReferral(let id):
                let body = try JSONBody.decode(ReferralCreateRequest.self, from: request.body)
                return vault.referrals.create(ctx, id: id, request: body).map { .json(JSONAnswer.encode($0), status: .created) }
            case .listReferrals:
                let direction = request.query["direction"] ?? "incoming"
                guard direction == "incoming" || direction == "outgoing" else {
                    throw HavenError(.invalidValue, "query parameter 'direction' must be incoming or outgoing")
                }
                return vault.referrals.list(ctx, incoming: direction == "incoming", status: request.query["status"])
                    .map { .json(JSONAnswer.encode($0)) }
            case .showReferral(let ref):
                return vault.referrals.show(ctx, ref: ref).map { .sensitive(encoding: $0) }
            case .changeReferral(let ref, let step):
                let body = try JSONBody.decode(ReferralStepRequest.self, from: request.body)
                return vault.referrals.change(ctx, ref: ref, step, request: body).map { .json(JSONAnswer.encode($0)) }
            case .showConsent(let id):
                let q = QueryParameters(values: request.query)
                return vault.consent.show(ctx, id: id, before: try q.uint("history_before"), limit: try q.int("history_limit"))
                    .map { .sensitive(encoding: $0) }
            case .issueExtract(let id):
                let body = try JSONBody.decode(ExtractRequest.self, from: request.body)
                return vault.extracts.issue(ctx, id: id, request: body).map { .sensitive($0, status: .created) }
            case .addUser:
                let body = try JSONBody.decode(AddUserRequest.self, from: request.body)
                return vault.users.add(ctx, request: body).map { .json(JSONAnswer.encode($0), status: .created) }
            case .listUsers:
                return vault.users.list(ctx).map { .json(JSONAnswer.encode($0)) }
            case .revokeUser(let name):
                return vault.users.revoke(ctx, name: name).map { .json(JSONAnswer.encode($0)) }
            case .rekeyUser(let name):
                let body = try JSONBody.decode(RekeyUserRequest.self, from: request.body)
                return vault.users.rekey(ctx, name: name, request: body).map { .json(JSONAnswer.encode($0)) }
            case .unlockUser(let name):
                return vault.users.unlock(ctx, name: name).map { .json(JSONAnswer.encode($0)) }
            case .auditEntries:
                let q = QueryParameters(values: request.query)
                var filter = AuditFilter()
                filter.user = q.string("user")
                filter.record = q.string("record")
                filter.since = try q.time("since")?.millisecondsSinceEpoch
                filter.until = try q.time("until")?.millisecondsSinceEpoch
                filter.deniedOnly = try q.flag("denied")
                filter.breakGlassOnly = try q.flag("break_glass")
                filter.withoutSessions = !(try q.flag("sessions", default: true))
                let newest: Bool
                switch q.string("order") ?? "oldest" {
                case "oldest": newest = false
                case "newest": newest = true
                default: throw HavenError(.invalidValue, "query parameter 'order' must be oldest or newest")
                }
                if newest, q.string("after") != nil { throw HavenError(.invalidValue, "order=newest pages with 'before', not 'after'") }
                if !newest, q.string("before") != nil { throw HavenError(.invalidValue, "'before' needs order=newest") }
                let cursor = try newest ? q.uint("before") : q.uint("after")
                return vault.audit.entries(ctx, filter: filter, newestFirst: newest, cursor: cursor, limit: try q.int("limit"))
                    .map { .json($0) }
            case .auditRaw:
                let q = QueryParameters(values: request.query)
                return vault.audit.raw(ctx, from: try q.uint("from") ?? 0, limit: try q.int("limit")).map { .json($0) }
            case .auditCheckpoints:
                let q = QueryParameters(values: request.query)
                let low = try q.uint("from_size") ?? 0
                let high = try q.uint("to_size") ?? UInt64(Int64.max)
                guard low <= high else { throw HavenError(.invalidValue, "from_size is greater than to_size") }
                let range = low...high
                return vault.audit.checkpoints(ctx, range: range).map { .json(JSONAnswer.encode($0)) }
            case .makeCheckpoint:
                return vault.audit.makeCheckpoint(ctx).map { .json(JSONAnswer.encode($0), status: .created) }
            case .auditPrefix:
                let size = try QueryParameters(values: request.query).uint("size") ?? 0
                return vault.audit.prefix(ctx, size: size).map { .json(JSONAnswer.encode($0)) }
            case .inclusionProof:
                guard let seq = try QueryParameters(values: request.query).uint("seq") else {
                    throw HavenError(.invalidValue, "query parameter 'seq' is required")
                }
                return vault.audit.inclusionProof(ctx, seq: seq).map { .json(JSONAnswer.encode($0)) }
            case .consistencyProof:
                let q = QueryParameters(values: request.query)
                guard let from = try q.uint("from") else { throw HavenError(.invalidValue, "query parameter 'from' is required") }
                return vault.audit.consistencyProof(ctx, from: from, to: try q.uint("to")).map { .json(JSONAnswer.encode($0)) }
            case .verifyAudit:
                return vault.audit.verify(ctx).map { .json(JSONAnswer.encode($0)) }
            case .auditSummary:
                let q = QueryParameters(values: request.query)
                return vault.audit.summary(ctx, since: try q.time("since"), until: try q.time("until")).map { .json(JSONAnswer.encode($0)) }
            case .auditSearches:
                let body = try JSONBody.decode(AuditSearchesRequest.self, from: request.body)
                return vault.audit.searches(ctx, request: body).map { .json($0) }
            case .createBackup:
                return vault.backups.create(ctx).map { .json(JSONAnswer.encode($0), status: .created) }
            case .fetchBackup(let name):
                let offset = try QueryParameters(values: request.query).int("offset") ?? 0
                return vault.backups.chunk(ctx, name: name, offset: offset).map { .json(JSONAnswer.encode($0)) }
            case .deleteBackup(let name):
                return vault.backups.delete(ctx, name: name).map { .json(JSONAnswer.encode($0)) }
            case .health, .challenge, .session, .sealStatus, .unseal, .seal, .rotate:
                return loop.makeFailedFuture(HavenError(.internalError, "a gate route, answered by GateEndpoints"))
            }
        } catch {
            return loop.makeSucceededFuture(.error(error))
        }
    }
}
