import HavenCore

/// A policy file that cannot be accepted, with where and why: `file:line: reason`.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }

    public var havenError: HavenError {
        HavenError(.invalidPolicy, description, hint: "fix the file and run 'haven policy check' before reloading")
    }
}
