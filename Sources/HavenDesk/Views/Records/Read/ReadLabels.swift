import HavenCore
import HavenPolicy

/// The policy's names for what the read pages show, in the person's language: record types,
/// agencies, groups, field labels and choice values come from the policy's files (never
/// from the desk's .po files), with the code made readable where the policy has no label.
public struct ReadLabels: Sendable {
    public let words: Words
    public let policy: Policy

    public init(words: Words, policy: Policy) {
        self.words = words
        self.policy = policy
    }

    /// The language code the policy's labels use (`en`, `lo`, `vi`).
    public var language: String { words.language.rawValue }

    public func recordType(_ name: String) -> String {
        policy.labels.recordType(name).text(language)
    }

    public func agency(_ code: String) -> String {
        guard let id = try? AgencyName(code), let agency = policy.agencies.agencies?[id] else { return code }
        return agency.names["name_" + language] ?? agency.names["name_en"] ?? code
    }

    public func group(_ name: String) -> String {
        policy.labels.group(name).text(language)
    }

    /// A field's value as words: a choice as its label, a date as a day, text as it is.
    public func value(_ field: FieldSpec, _ value: String) -> String {
        switch field.kind {
        case .choice: return policy.labels.value(value).text(language)
        case .date: return DateText.day(value)
        case .text, .integer: return value
        }
    }

    /// A code the policy may label (a service, a note's class, a consent flag), as words.
    public func code(_ code: String) -> String {
        policy.labels.value(code).text(language)
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
        default: return self.code(code)
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
