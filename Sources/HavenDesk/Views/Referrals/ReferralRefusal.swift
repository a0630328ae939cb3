import HavenCore

/// The HTTP status of a page that shows one of havend's refusals, as havend itself answers
/// it (SPEC §7): a refused step is a 403, an unknown or hidden referral a 404, a value to
/// correct a 400, a referral changed meanwhile a 409, throttling a 429, a sealed vault a 503.
public enum ReferralRefusal {
    public static func status(_ error: HavenError) -> Int {
        switch error.code {
        case .badRequest, .invalidJSON, .duplicateKey, .unknownField, .unknownRecordType, .invalidValue, .missingField,
             .invalidPolicy, .invalidKey, .invalidDocument:
            return 400
        case .notFound: return 404
        case .erased: return 410
        case .conflict, .limitReached: return 409
        case .unauthenticated, .authenticationFailed: return 401
        case .lockedOut, .rateLimited, .tooManyConnections: return 429
        case .denied: return 403
        case .sealed, .auditUnavailable, .storeUnavailable, .busy, .unavailable, .anchorUnavailable: return 503
        case .payloadTooLarge: return 413
        case .unsupportedMediaType, .headersTooLarge, .requestTimeout, .methodNotAllowed, .integrityError, .internalError,
             .ioError, .bridgeFailed:
            return 500
        }
    }
}
