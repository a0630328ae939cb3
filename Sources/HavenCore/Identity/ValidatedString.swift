/// A string-backed name whose syntax is checked once, at construction, including when decoded.
public protocol ValidatedString: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    var rawValue: String { get }
    init(_ rawValue: String) throws(HavenError)
}

extension ValidatedString {
    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
