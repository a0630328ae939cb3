/// How a rendering names an extract's fields and choice values in the reader's language
/// (`haven extract render --lang`), taken from a policy directory at rendering time. Labels
/// are presentation: the signed payload keeps the field names, its English labels and the
/// stored codes, and a rendering shows each code beside its label. Without labels a
/// rendering shows what the payload carries.
public struct ExtractLabels: Sendable, Equatable {
    /// `en`, `lo` or `vi`.
    public let language: String
    /// Field name → label.
    public var fields: [String: String]
    /// Field name → choice code → label.
    public var values: [String: [String: String]]

    public init(language: String, fields: [String: String] = [:], values: [String: [String: String]] = [:]) {
        self.language = ["lo", "vi"].contains(language) ? language : "en"
        self.fields = fields
        self.values = values
    }

    /// The payload's own labels, in English.
    public static let payload = ExtractLabels(language: "en")

    func field(_ f: ExtractPayload.Field) -> String { fields[f.name] ?? f.label }

    /// A choice value's label with its code (`Intimate partner or spouse [intimate_partner]`);
    /// any other value as stored.
    func value(_ f: ExtractPayload.Field) -> String {
        guard let label = values[f.name]?[f.value] else { return f.value }
        return "\(label) [\(f.value)]"
    }

    var words: ExtractWords { ExtractWords(language: language) }
}
