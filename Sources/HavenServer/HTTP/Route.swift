import HavenVault
import NIOHTTP1

/// Every endpoint of `/v1/`. The table below is the server's routing and is checked
/// against openapi.yaml by the tests, so the document cannot drift from the server.
enum Route: Equatable, Sendable {
    case health
    case challenge
    case session
    case status
    case createRecord
    case listRecords
    case findRecords
    case incidentStatistics
    case readRecord(String)
    case updateRecord(String)
    case assignRecord(String)
    case unassignRecord(String)
    case eraseRecord(String)
    case addNote(String)
    case changeConsent(String)
    case showConsent(String)
    case createReferral(String)
    case listReferrals
    case showReferral(String)
    case changeReferral(String, ReferralChange)
    case addUser
    case listUsers
    case revokeUser(String)
    case rekeyUser(String)
    case unlockUser(String)
    case issueExtract(String)
    case auditEntries
    case auditRaw
    case auditCheckpoints
    case makeCheckpoint
    case auditPrefix
    case inclusionProof
    case consistencyProof
    case verifyAudit
    case auditSummary
    case auditSearches
    case createBackup
    case fetchBackup(String)
    case deleteBackup(String)
    case sealStatus
    case unseal
    case seal
    case rotate

    /// One row of the routing table: method, path template (`{name}` matches one segment)
    /// and how to build the route from the matched segments.
    struct Entry: Sendable {
        let method: HTTPMethod
        let template: String
        let make: @Sendable ([String]) -> Route
        /// The template split once, not on every request.
        let segments: [Substring]

        init(method: HTTPMethod, template: String, make: @escaping @Sendable ([String]) -> Route) {
            self.method = method
            self.template = template
            self.make = make
            segments = template.split(separator: "/", omittingEmptySubsequences: false)
        }
    }

    static let table: [Entry] = [
        Entry(method: .GET, template: "/v1/health") { _ in .health },
        Entry(method: .POST, template: "/v1/auth/challenge") { _ in .challenge },
        Entry(method: .POST, template: "/v1/auth/session") { _ in .session },
        Entry(method: .GET, template: "/v1/status") { _ in .status },
        Entry(method: .POST, template: "/v1/records") { _ in .createRecord },
        Entry(method: .GET, template: "/v1/records") { _ in .listRecords },
        Entry(method: .POST, template: "/v1/records/find") { _ in .findRecords },
        Entry(method: .POST, template: "/v1/stats/incidents") { _ in .incidentStatistics },
        Entry(method: .PATCH, template: "/v1/records/{id}") { .updateRecord($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/read") { .readRecord($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/assign") { .assignRecord($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/unassign") { .unassignRecord($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/erase") { .eraseRecord($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/notes") { .addNote($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/consent") { .changeConsent($0[0]) },
        Entry(method: .GET, template: "/v1/records/{id}/consent") { .showConsent($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/extract") { .issueExtract($0[0]) },
        Entry(method: .POST, template: "/v1/records/{id}/referrals") { .createReferral($0[0]) },
        Entry(method: .GET, template: "/v1/referrals") { _ in .listReferrals },
        Entry(method: .GET, template: "/v1/referrals/{ref}") { .showReferral($0[0]) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/accept") { .changeReferral($0[0], .accept) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/decline") { .changeReferral($0[0], .decline) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/revoke") { .changeReferral($0[0], .revoke) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/close") { .changeReferral($0[0], .close) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/assign") { .changeReferral($0[0], .assign) },
        Entry(method: .POST, template: "/v1/referrals/{ref}/unassign") { .changeReferral($0[0], .unassign) },
        Entry(method: .POST, template: "/v1/users") { _ in .addUser },
        Entry(method: .GET, template: "/v1/users") { _ in .listUsers },
        Entry(method: .POST, template: "/v1/users/{name}/revoke") { .revokeUser($0[0]) },
        Entry(method: .POST, template: "/v1/users/{name}/rekey") { .rekeyUser($0[0]) },
        Entry(method: .POST, template: "/v1/users/{name}/unlock") { .unlockUser($0[0]) },
        Entry(method: .GET, template: "/v1/audit/entries") { _ in .auditEntries },
        Entry(method: .GET, template: "/v1/audit/raw") { _ in .auditRaw },
        Entry(method: .GET, template: "/v1/audit/checkpoints") { _ in .auditCheckpoints },
        Entry(method: .POST, template: "/v1/audit/checkpoints") { _ in .makeCheckpoint },
        Entry(method: .GET, template: "/v1/audit/prefix") { _ in .auditPrefix },
        Entry(method: .GET, template: "/v1/audit/proofs/inclusion") { _ in .inclusionProof },
        Entry(method: .GET, template: "/v1/audit/proofs/consistency") { _ in .consistencyProof },
        Entry(method: .POST, template: "/v1/audit/verify") { _ in .verifyAudit },
        Entry(method: .GET, template: "/v1/audit/summary") { _ in .auditSummary },
        Entry(method: .POST, template: "/v1/audit/searches") { _ in .auditSearches },
        Entry(method: .POST, template: "/v1/backups") { _ in .createBackup },
        Entry(method: .GET, template: "/v1/backups/{name}") { .fetchBackup($0[0]) },
        Entry(method: .DELETE, template: "/v1/backups/{name}") { .deleteBackup($0[0]) },
        Entry(method: .GET, template: "/v1/operator/seal") { _ in .sealStatus },
        Entry(method: .POST, template: "/v1/operator/unseal") { _ in .unseal },
        Entry(method: .POST, template: "/v1/operator/seal") { _ in .seal },
        Entry(method: .POST, template: "/v1/operator/rotate") { _ in .rotate },
    ]

    /// Matches a request; `methodNotAllowed` when the path exists under another method.
    static func match(method: HTTPMethod, path: String) -> Result<Route, RouteMiss> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        var pathExists = false
        for entry in table {
            let template = entry.segments
            guard template.count == parts.count else { continue }
            var params = [String]()
            var matches = true
            for (t, p) in zip(template, parts) {
                if t.hasPrefix("{") {
                    if p.isEmpty { matches = false; break }
                    params.append(String(p))
                } else if t != p {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            pathExists = true
            if entry.method == method { return .success(entry.make(params)) }
        }
        return .failure(pathExists ? .methodNotAllowed : .notFound)
    }
}

enum RouteMiss: Error {
    case notFound
    case methodNotAllowed
}
