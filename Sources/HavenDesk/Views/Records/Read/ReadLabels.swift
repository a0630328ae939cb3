import HavenCore
import HavenPolicy

/// The policy's names for what the read pages show, in the person's language: record types,
/// agencies, groups, field labels and choice values come from the policy's files (never
/// from the desk's .po files), with the code made readable where the policy has no label.
public struct ReadLabels: Sendable {
    public let words: Words
    public let policy: Policy

    /// The schema's own words (types, groups, choices, provinces, agencies), shared with the forms.
    let schema: SchemaLabels

    public init(words: Words, policy: Policy) {
        self.words = words
        self.policy = policy
        self.schema = SchemaLabels(policy: policy, language: words.language.rawValue)
    }

    /// The language code the policy's labels use (`en`, `lo`, `vi`).
    public var language: String { words.language.rawValue }

    public func recordType(_ name: String) -> String {
        schema.recordType(name)
    }

    public func agency(_ code: String) -> String {
        schema.agency(code)
    }

    public func group(_ name: String) -> String {
        schema.group(name)
    }

    /// A field's value as words: a choice (a province by its name) as its label, a date as a
    /// day, text as it is.
    public func value(_ field: FieldSpec, _ value: String) -> String {
        switch field.kind {
        case .choice: return schema.value(value)
        case .date: return DateText.day(value)
        case .text, .integer: return value
        }
    }

    /// A note's class as a word (Haven's own codes: the desk's words).
    public func noteClass(_ code: String) -> String {
        ClassWords.noteClass(code, words)
    }

    /// A consent flag as a word.
    public func consentFlag(_ code: String) -> String {
        ClassWords.consentFlag(code, words)
    }

    /// A referral's service as a word: the same words as the referral pages.
    public func service(_ code: String) -> String {
        ClassWords.service(code, words) ?? policy.labels.value(code).text(language)
    }

    /// A referral's or consent flag's state as words.
    public func state(_ code: String) -> String {
        let w = words
        switch code {
        case "pending": return w("waiting for an answer")
        case "accepted": return w("accepted")
        case "declined": return w("declined")
        case "revoked": return w("revoked")
        case "closed": return w("closed")
        case "granted": return w("granted")
        case "withdrawn": return w("withdrawn")
        case "expired": return w("expired")
        case "never": return w("never recorded")
        case "grant": return w("granted")
        case "withdraw": return w("withdrawn")
        default: return code
        }
    }

    /// The fields whose value names the survivor (`search: name` in the schema), in schema
    /// order; those of every record type when the type is not known.
    public func nameFields(of typeName: String?) -> [String] {
        if let typeName, let type = try? policy.recordType(named: typeName) {
            return type.fields.filter { $0.search == .name }.map(\.name.rawValue)
        }
        let all = policy.recordTypes.values.map { Set($0.fields.filter { $0.search == .name }.map(\.name.rawValue)) }
        guard let first = all.first else { return [] }
        return all.dropFirst().reduce(first) { $0.intersection($1) }.sorted()
    }
}
