import HavenCore
import Yams

/// Parses one record type from `policy/schema/<type>.yaml` (format in policy/README.md).
struct SchemaFileParser {
    let reader: YAMLReader
    /// The file's base name, which must equal the type it defines.
    let expectedType: String

    func parse(_ text: String) throws(PolicyError) -> RecordType {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "a record type file", allowed: ["type", "description", "fields"],
                                     required: ["type", "fields"])
        var typeName: RecordTypeName?
        var description = ""
        var fields = [FieldSpec]()
        for (key, _, value) in top {
            switch key {
            case "type":
                let raw = try reader.string(value, what: "type")
                guard raw == expectedType, let name = try? RecordTypeName(raw) else {
                    throw reader.fail(value, "type '\(raw)' must match the file name '\(expectedType).yaml'")
                }
                typeName = name
            case "description":
                description = try reader.string(value, what: "description")
            default:
                for (fieldKey, keyNode, spec) in try reader.anyMapping(value, what: "fields") {
                    fields.append(try field(fieldKey, keyNode: keyNode, spec))
                }
            }
        }
        guard let typeName else { throw reader.fail(root, "a record type file is missing 'type'") }
        guard !fields.isEmpty else { throw reader.fail(root, "record type \(typeName) has no fields") }
        return RecordType(name: typeName, description: description, fields: fields)
    }

    private func field(_ raw: String, keyNode: Node, _ node: Node) throws(PolicyError) -> FieldSpec {
        guard let name = try? FieldName(raw) else {
            throw reader.fail(keyNode, "field name '\(raw)' must use a-z, 0-9 and '_' only")
        }
        let what = "field '\(raw)'"
        let pairs = try reader.mapping(node, what: what,
                                       allowed: ["class", "type", "values", "max_length", "min", "max", "required", "group", "label",
                                                 "search"],
                                       required: ["class", "type"])
        var values: [String]?
        var maxLength: Int64 = 2000
        var minimum: Int64 = 0
        var maximum: Int64 = 1_000_000
        var required = false
        var group = ""
        var label = raw
        var fieldClass = FieldClass.identity
        var typeWord = ""
        var typeNode = node
        var search: (SearchKind, Node)?
        for (key, _, value) in pairs {
            switch key {
            case "class": fieldClass = try reader.word(value, as: FieldClass.self, what: "field class")
            case "type": typeWord = try reader.string(value, what: "type"); typeNode = value
            case "values":
                let items = try reader.list(value, what: "values")
                guard !items.isEmpty else { throw reader.fail(value, "values of \(what) must not be empty") }
                values = items.map(\.0)
            case "max_length":
                maxLength = try reader.integer(value, what: "max_length")
                guard (1...100_000).contains(maxLength) else { throw reader.fail(value, "max_length must be from 1 to 100000") }
            case "min": minimum = try reader.integer(value, what: "min")
            case "max": maximum = try reader.integer(value, what: "max")
            case "required": required = try reader.bool(value, what: "required")
            case "group": group = try reader.string(value, what: "group")
            case "search": search = (try reader.word(value, as: SearchKind.self, what: "search kind"), value)
            default: label = try reader.string(value, what: "label")
            }
        }
        let kind: FieldKind
        switch typeWord {
        case "text": kind = .text(maxLength: Int(maxLength))
        case "date": kind = .date
        case "choice":
            guard let values else { throw reader.fail(node, "\(what) of type choice needs 'values'") }
            kind = .choice(values)
        case "integer":
            guard minimum <= maximum else { throw reader.fail(node, "\(what): min is greater than max") }
            kind = .integer(min: minimum, max: maximum)
        default:
            throw reader.fail(typeNode, "unknown field type '\(typeWord)' (expected one of: text, date, choice, integer)")
        }
        if values != nil, typeWord != "choice" {
            throw reader.fail(node, "\(what): 'values' applies only to type choice")
        }
        // A name or phone is text; a date of birth is a date.
        if let (kindOfSearch, searchNode) = search, (kindOfSearch == .date) != (typeWord == "date") || typeWord == "choice" || typeWord == "integer" {
            throw reader.fail(searchNode, "\(what): search '\(kindOfSearch.rawValue)' does not apply to type \(typeWord)"
                              + " (name and phone search text fields, date searches date fields)")
        }
        return FieldSpec(name: name, fieldClass: fieldClass, kind: kind, required: required, group: group, label: label,
                         search: search?.0)
    }
}
