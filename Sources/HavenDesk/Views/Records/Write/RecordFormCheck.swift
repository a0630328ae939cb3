import HavenCore
import HavenPolicy

/// A record form's values as posted, checked as havend will check them (`FieldSpec.validate`,
/// required fields, control characters) before anything is sent, so a mistake comes back
/// beside its field in the person's language with everything they typed still there.
/// havend checks again: this is for the person, not a defence.
public struct RecordFormCheck: Sendable {
    /// Every field's value as typed (trimmed), blank ones included, to show the form again.
    public let typed: [String: String]
    /// The non-blank values by field name, as the API takes them.
    public let values: [String: String]
    /// A message in the person's language by field name, for each field that failed.
    public let errors: [String: String]

    public var isValid: Bool { errors.isEmpty }

    /// Reads `field.<NAME>` for each of `fields` from a posted form; any other `field.` name is
    /// ignored (the form never offers it, and a forged one must not reach havend).
    public init(form: [String: String], fields: [FieldSpec], requireRequired: Bool, words: Words) {
        var typed = [String: String](), values = [String: String](), errors = [String: String]()
        for field in fields {
            let raw = form[FieldInput.name(field)] ?? ""
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let name = field.name.rawValue
            typed[name] = value
            if value.isEmpty {
                if requireRequired && field.required { errors[name] = words("This field is required.") }
                continue
            }
            if let problem = Self.problem(field, value, words: words) {
                errors[name] = problem
            } else {
                values[name] = value
            }
        }
        self.typed = typed
        self.values = values
        self.errors = errors
    }

    /// What is wrong with a value, in words; nil when havend will take it.
    static func problem(_ field: FieldSpec, _ value: String, words: Words) -> String? {
        if value.unicodeScalars.contains(where: Self.isRefusedControl) {
            return words("This contains a control character, which cannot be stored. Type the value again.")
        }
        do {
            try field.validate(value)
            return nil
        } catch {
            switch field.kind {
            case .text(let maxLength):
                return words("At most {count} characters.", ["count": String(maxLength)])
            case .date:
                return words("Write a date as YYYY-MM-DD or DD/MM/YYYY, between 1900 and 2100.")
            case .choice:
                return words("Choose one of the listed values.")
            case .integer(let min, let max):
                return words("A whole number from {min} to {max}.", ["min": String(min), "max": String(max)])
            }
        }
    }

    /// The characters havend refuses in any value: controls other than tab and line breaks.
    public static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F || (0x80...0x9F).contains(v)
    }
}
