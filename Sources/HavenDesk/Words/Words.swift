import Foundation

/// The desk's words in one person's language: `words("Sign in")` is the Lao or Vietnamese
/// text of that English message, from the language's .po files.
///
/// Every word of the desk goes through here with its English text written as a literal,
/// so a test can list them from the sources and check that none is missing in Lao or
/// Vietnamese. Placeholders are `{name}`, filled by `words("Assigned to {name}", ["name": x])`;
/// the values are inserted as text, and escaped when the result is put into `HTML`.
public struct Words: Sendable {
    public let language: Language
    let table: [String: String]

    public init(language: Language, catalog: Catalog) {
        self.language = language
        self.table = catalog.table(language)
    }

    /// The message in this language; English (the id itself) where a translation is missing,
    /// never a blank.
    public func callAsFunction(_ english: String) -> String {
        guard let text = table[english], !text.isEmpty else { return english }
        return text
    }

    /// The message with its `{placeholder}`s filled.
    public func callAsFunction(_ english: String, _ values: [String: String]) -> String {
        var text = self(english)
        for (key, value) in values {
            text = text.replacingOccurrences(of: "{\(key)}", with: value)
        }
        return text
    }
}
