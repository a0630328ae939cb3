import HavenClient
import HavenCore

/// The HTTP status a page answers with when havend refuses: the refusal's kind, so the
/// browser and its tests can tell a denial from a missing record or a pause.
enum ReadRefusal {
    static func status(_ error: HavenError) -> Int {
        switch error.code {
        case .denied, .unauthenticated, .authenticationFailed, .lockedOut: return 403
        case .notFound, .erased: return 404
        case .conflict: return 409
        case .rateLimited: return 429
        case .sealed, .unavailable, .busy, .storeUnavailable, .auditUnavailable: return 503
        case .badRequest, .invalidValue, .invalidJSON, .missingField, .unknownField, .unknownRecordType: return 400
        default: return 500
        }
    }

    /// A record id or cursor as one path part or query value of a havend request.
    static func escape(_ part: String) -> String {
        HavenClient.escape(part)
    }
}
