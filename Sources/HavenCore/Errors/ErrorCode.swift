/// The stable error codes of Haven's API and CLI; scripts branch on these, never on message text.
///
/// Adding a code is compatible; renaming or removing one is not.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    // Bad input (the caller can fix the request).
    case badRequest = "bad_request"
    case invalidJSON = "invalid_json"
    /// A JSON object names one key twice (refused, never resolved: readers disagree on which wins).
    case duplicateKey = "duplicate_key"
    case unknownField = "unknown_field"
    case unknownRecordType = "unknown_record_type"
    case invalidValue = "invalid_value"
    case missingField = "missing_field"
    case unsupportedMediaType = "unsupported_media_type"
    case payloadTooLarge = "payload_too_large"
    case headersTooLarge = "headers_too_large"
    case requestTimeout = "request_timeout"
    case methodNotAllowed = "method_not_allowed"
    case notFound = "not_found"
    /// The record was erased (crypto-shredded): it existed, and nothing of it can be read.
    case erased = "erased"
    case conflict = "conflict"
    /// A record holds as much history (notes, consent events) as one record may.
    case limitReached = "limit_reached"

    // Who is asking, and may they.
    case unauthenticated = "unauthenticated"
    case authenticationFailed = "authentication_failed"
    case lockedOut = "locked_out"
    case denied = "denied"
    /// Too many requests of one kind from one user for a person's pace (`record find`):
    /// refused, audited, and answered with when to try again.
    case rateLimited = "rate_limited"

    // The vault cannot serve safely right now (fail closed).
    case sealed = "sealed"
    case auditUnavailable = "audit_unavailable"
    case storeUnavailable = "store_unavailable"
    case busy = "busy"

    // Stored data failed an integrity check: never answered with data.
    case integrityError = "integrity_error"
    case internalError = "internal_error"

    // Local (CLI-side) failures.
    case invalidPolicy = "invalid_policy"
    case invalidKey = "invalid_key"
    case ioError = "io_error"
    case invalidDocument = "invalid_document"
    case unavailable = "unavailable"
    /// The SSH bridge (`haven --host ssh://…`) is not set up or was refused: ssh missing, a
    /// host key unknown or changed, the login refused, no `haven` on the vault's host. A
    /// person must act; trying again changes nothing.
    case bridgeFailed = "bridge_failed"

    /// A connection over its share: its user's or its peer uid's sessions, or the sessions
    /// of ordinary roles in all (the last connections are kept for administrators).
    case tooManyConnections = "too_many_connections"
    /// The anchor (`havend --anchor`) cannot be written: changes are refused, reads go on.
    case anchorUnavailable = "anchor_unavailable"
}
