import HavenCore

/// A province (or province-level city) the `province` fields may name
/// (`policy/provinces.yaml`): a code, its country, and its names in English, Lao and
/// Vietnamese where the file gives them. The list is what statistics count by.
public struct Province: Sendable, Equatable {
    public let code: String
    /// ISO 3166-1 alpha-2, lower-case: `la`, `vn`.
    public let country: String
    public let names: [String: String]

    public init(code: String, country: String, names: [String: String]) {
        self.code = code
        self.country = country
        self.names = names
    }
}
