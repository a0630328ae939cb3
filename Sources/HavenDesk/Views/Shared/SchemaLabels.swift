import HavenPolicy

/// The schema's own words in one language: record types, groups, field labels and choice
/// values, all from the policy files (labels.yaml, schema/*.yaml, provinces.yaml) and never
/// from the desk's .po files, so a deployment that renames a field renames it everywhere.
public struct SchemaLabels: Sendable {
    public let policy: Policy
    public let language: String

    public init(policy: Policy, language: String) {
        self.policy = policy
        self.language = language
    }

    public func recordType(_ name: String) -> String {
        policy.labels.recordType(name).text(language)
    }

    public func group(_ name: String) -> String {
        policy.labels.group(name).text(language)
    }

    public func field(_ field: FieldSpec) -> String {
        field.labels.text(language)
    }

    /// A field's label by name, for lists that name fields (the fields a duplicate matched);
    /// the name itself when no type of the policy has it.
    public func field(named name: String, of type: String? = nil) -> String {
        let types = type.flatMap { t in policy.recordTypes.first { $0.key.rawValue == t }.map { [$0.value] } }
            ?? policy.recordTypes.keys.sorted { $0.rawValue < $1.rawValue }.compactMap { policy.recordTypes[$0] }
        for t in types {
            if let spec = t.fields.first(where: { $0.name.rawValue == name }) { return field(spec) }
        }
        return name
    }

    /// A choice value as a word: a province by its name in this language, any other code by
    /// labels.yaml (the code made readable when the file has no label for it).
    public func value(_ code: String) -> String {
        if let province = policy.provinces.first(where: { $0.code == code }) {
            return province.names["name_\(language)"] ?? province.names["name_en"] ?? code
        }
        return policy.labels.value(code).text(language)
    }

    /// An agency by its name in this language (agencies.yaml), else its id.
    public func agency(_ id: String) -> String {
        guard let agency = policy.agencies.agencies?.first(where: { $0.key.rawValue == id })?.value else { return id }
        return agency.names["name_\(language)"] ?? agency.names["name_en"] ?? id
    }
}
