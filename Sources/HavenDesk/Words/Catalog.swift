/// The desk's translations: for Lao and Vietnamese, each English message and its text.
/// English needs no table: the messages are written in it.
public struct Catalog: Sendable {
    let tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// The messages of one language (empty for English).
    public func table(_ language: Language) -> [String: String] {
        tables[language] ?? [:]
    }
}
