/// An error Haven reports: a stable code, a message safe to show to the caller, and what to do next.
///
/// Messages never contain field values, key material or internal error text; those stay in
/// the daemon's process (and, for internals, in its log at debug level without values).
public struct HavenError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String
    public let hint: String?

    public init(_ code: ErrorCode, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String {
        if let hint { return "\(message) (hint: \(hint))" }
        return message
    }
}

extension HavenError {
    public static func badRequest(_ message: String, hint: String? = nil) -> HavenError {
        HavenError(.badRequest, message, hint: hint)
    }

    public static func invalidValue(_ message: String) -> HavenError {
        HavenError(.invalidValue, message)
    }

    public static func denied(_ message: String) -> HavenError {
        HavenError(.denied, message)
    }

    public static func notFound(_ message: String) -> HavenError {
        HavenError(.notFound, message)
    }

    /// The one message every failed decryption or integrity check produces, so that a
    /// caller cannot learn which of several checks failed.
    public static let integrity = HavenError(
        .integrityError,
        "stored data failed its integrity check; nothing was returned",
        hint: "the vault's files may have been altered: run 'haven audit verify' and restore from backup"
    )

    /// An integrity failure that says what was found (a record rolled back, deleted, or a
    /// row inserted outside Haven): facts about the vault's state, never about a value, and
    /// nothing a caller could use to learn which cryptographic check failed.
    public static func integrityFinding(_ finding: String) -> HavenError {
        HavenError(.integrityError, "stored data failed its integrity check: \(finding); nothing was returned",
                   hint: integrity.hint)
    }

    public static let auditUnavailable = HavenError(
        .auditUnavailable,
        "the audit log cannot be written, so the request was refused",
        hint: "an operator must check the data directory (disk space, permissions)"
    )

    public static let storeUnavailable = HavenError(
        .storeUnavailable,
        "the vault's store cannot be written right now; nothing was changed",
        hint: "an operator must check the data directory (disk space, permissions, locks)"
    )
}
