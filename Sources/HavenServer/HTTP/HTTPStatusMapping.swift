import HavenCore
import NIOHTTP1

/// The one place an error code becomes an HTTP status (SPEC §7).
extension ErrorCode {
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .badRequest, .invalidJSON, .duplicateKey, .unknownField, .unknownRecordType, .invalidValue, .missingField,
             .invalidPolicy, .invalidKey, .invalidDocument:
            return .badRequest
        case .unsupportedMediaType: return .unsupportedMediaType
        case .payloadTooLarge: return .payloadTooLarge
        case .headersTooLarge: return .requestHeaderFieldsTooLarge
        case .requestTimeout: return .requestTimeout
        case .methodNotAllowed: return .methodNotAllowed
        case .notFound: return .notFound
        case .erased: return .gone
        case .conflict, .limitReached: return .conflict
        case .unauthenticated, .authenticationFailed: return .unauthorized
        case .lockedOut, .rateLimited, .tooManyConnections: return .tooManyRequests
        case .denied: return .forbidden
        case .sealed, .auditUnavailable, .storeUnavailable, .busy, .unavailable, .anchorUnavailable: return .serviceUnavailable
        case .integrityError, .internalError, .ioError: return .internalServerError
        // The CLI's own: havend never answers with it.
        case .bridgeFailed: return .badGateway
        }
    }
}
