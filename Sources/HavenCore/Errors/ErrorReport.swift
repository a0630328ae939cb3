/// An error as a command-line program reports it on stderr: one plain line,
/// `PROGRAM: CODE: MESSAGE (hint: …)`, or under `--json` the API's error object,
/// `{"error": {"code", "message", "hint"}}`, so a script reads both the same way.
///
/// The code is an `ErrorCode`, or `usage` for a mistake in the command line itself.
public struct ErrorReport: Sendable, Equatable {
    public static let usageCode = "usage"

    public let code: String
    public let message: String
    public let hint: String?

    public init(code: String, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public init(_ e: HavenError) {
        self.init(code: e.code.rawValue, message: e.message, hint: e.hint)
    }

    /// A mistake ArgumentParser found in the command line: its text is the mistake on the
    /// first line ("Error: …"), then help and usage, which JSON leaves out.
    public static func usage(parserMessage: String) -> ErrorReport {
        let first = parserMessage.split(separator: "\n").first.map(String.init) ?? parserMessage
        return ErrorReport(code: usageCode, message: first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first)
    }

    /// The text line, without its line break.
    public func line(program: String) -> String {
        "\(program): \(code): \(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }

    /// The JSON object and a line break, written without Foundation so reporting cannot fail.
    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.object { o in
            o.key("error")
            o.object { x in
                x.field("code", code)
                x.field("message", message)
                if let hint { x.field("hint", hint) }
            }
        }
        return w.bytes + [0x0A]
    }

    /// Whether a command line asks for JSON: `--json` anywhere before a `--`.
    public static func wantsJSON(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }
}
