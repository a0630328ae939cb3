import HavenCore
import HavenPolicy

/// The values of a create or an update checked against the record type, before any decision.
enum RecordValues {
    /// Checks names and values against the record type, each value as it is stored (a date
    /// typed 15/08/1995 as 1995-08-15); errors name the field, never the value.
    static func validated(_ fields: [String: String], of type: RecordType, requireAll: Bool) throws(HavenError) -> [(FieldSpec, String)] {
        var out = [(FieldSpec, String)]()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let spec = try type.field(named: name)
            try FieldValueRules.check(value, what: "field '\(spec.name)'")
            out.append((spec, try spec.stored(value)))
        }
        if requireAll, let missing = type.fields.first(where: { $0.required && fields[$0.name.rawValue] == nil }) {
            throw HavenError(.missingField, "field '\(missing.name)' is required for \(type.name)")
        }
        guard !out.isEmpty || requireAll else {
            throw HavenError(.badRequest, "no fields to write")
        }
        return out
    }
}
