import HavenCore

/// The body of every error answer: `{"error": {"code": …, "message": …, "hint": …}}` (SPEC §7).
public struct ErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public let code: String
        public let message: String
        public let hint: String?
    }

    public let error: Detail

    public init(_ e: HavenError) {
        error = Detail(code: e.code.rawValue, message: e.message, hint: e.hint)
    }

    public var havenError: HavenError {
        HavenError(ErrorCode(rawValue: error.code) ?? .internalError, error.message, hint: error.hint)
    }

    /// Canonical JSON bytes, written without Foundation so the error path cannot itself fail.
    public static func json(_ e: HavenError) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.object { o in
            o.key("error")
            o.object { x in
                x.field("code", e.code.rawValue)
                x.field("message", e.message)
                if let hint = e.hint { x.field("hint", hint) }
            }
        }
        return w.bytes
    }
}
