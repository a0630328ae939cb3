import NIOHTTP1

/// Every endpoint of `/v1/` (documented in openapi.yaml), matched from method and path.
enum Route: Equatable {
    case challenge
    case session
    case status
    case createRecord
    case listRecords
    case readRecord(String)
    case updateRecord(String)
    case assignRecord(String)
    case addNote(String)
    case changeConsent(String)
    case showConsent(String)
    case addUser
    case listUsers
    case revokeUser(String)

    /// Routes reachable before a session is open.
    var isPublic: Bool { self == .challenge || self == .session }

    /// Matches a request; `methodNotAllowed` when the path exists under another method.
    static func match(method: HTTPMethod, path: String) -> Result<Route, RouteMiss> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0].isEmpty, parts[1] == "v1" else { return .failure(.notFound) }
        let p = Array(parts.dropFirst(2))
        func pick(_ options: KeyValuePairs<HTTPMethod, Route>) -> Result<Route, RouteMiss> {
            options.first(where: { $0.key == method }).map { .success($0.value) } ?? .failure(.methodNotAllowed)
        }
        switch p.count {
        case 1:
            switch p[0] {
            case "status": return pick([.GET: .status])
            case "records": return pick([.POST: .createRecord, .GET: .listRecords])
            case "users": return pick([.POST: .addUser, .GET: .listUsers])
            default: return .failure(.notFound)
            }
        case 2:
            switch (p[0], p[1]) {
            case ("auth", "challenge"): return pick([.POST: .challenge])
            case ("auth", "session"): return pick([.POST: .session])
            case ("records", let id) where !id.isEmpty: return pick([.PATCH: .updateRecord(id)])
            default: return .failure(.notFound)
            }
        case 3:
            switch (p[0], p[2]) {
            case ("records", "read"): return pick([.POST: .readRecord(p[1])])
            case ("records", "assign"): return pick([.POST: .assignRecord(p[1])])
            case ("records", "notes"): return pick([.POST: .addNote(p[1])])
            case ("records", "consent"): return pick([.POST: .changeConsent(p[1]), .GET: .showConsent(p[1])])
            case ("users", "revoke"): return pick([.POST: .revokeUser(p[1])])
            default: return .failure(.notFound)
            }
        default:
            return .failure(.notFound)
        }
    }
}

enum RouteMiss: Error {
    case notFound
    case methodNotAllowed
}
