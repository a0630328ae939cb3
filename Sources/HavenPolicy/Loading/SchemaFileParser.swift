import HavenCore
import Yams

/// Parses one record type from `policy/schema/<type>.yaml` (format in policy/README.md).
struct SchemaFileParser {
    let reader: YAMLReader
    /// The file's base name, which must equal the type it defines.
    let expectedType: String
    /// `provinces.yaml`, for fields whose values come from it (nil: the file is absent).
    var provinces: [Province]? = nil

    func parse(_ text: String) throws(PolicyError) -> RecordType {
        try parseLabelled(text).type
    }

    /// The record type, with where its labels are, for the checks against labels.yaml.
    func parseLabelled(_ text: String) throws(PolicyError) -> (type: RecordType, sites: SchemaLabelSites) {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "a record type file", allowed: ["type", "description", "label", "fields"],
                                     required: ["type", "fields"])
        var typeName: RecordTypeName?
        var description = ""
        var fields = [FieldSpec]()
        var sites = SchemaLabelSites(reader: reader)
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
            case "label":
                sites.typeLabel = (try reader.label(value, what: "label of the record type"), value)
            default:
                for (fieldKey, keyNode, spec) in try reader.anyMapping(value, what: "fields") {
                    fields.append(try field(fieldKey, keyNode: keyNode, spec, sites: &sites))
                }
            }
        }
        guard let typeName else { throw reader.fail(root, "a record type file is missing 'type'") }
        guard !fields.isEmpty else { throw reader.fail(root, "record type \(typeName) has no fields") }
        var uses = [StatisticsUse: FieldName]()
        for f in fields {
            guard let use = f.stats else { continue }
            if let first = uses[use] {
                throw reader.fail(root, "record type \(typeName): fields '\(first)' and '\(f.name)' both give stats '\(use.rawValue)'; mark one")
            }
            uses[use] = f.name
        }
        return (RecordType(name: typeName, description: description, fields: fields), sites)
    }

    private func field(_ raw: String, keyNode: Node, _ node: Node, sites: inout SchemaLabelSites) throws(PolicyError) -> FieldSpec {
        guard let name = try? FieldName(raw) else {
            throw reader.fail(keyNode, "field name '\(raw)' must use a-z, 0-9 and '_' only")
        }
        let what = "field '\(raw)'"
        let pairs = try reader.mapping(node, what: what,
                                       allowed: ["class", "type", "values", "max_length", "min", "max", "required", "group", "label",
                                                 "search", "values_from", "stats"],
                                       required: ["class", "type"])
        var values: [String]?
        var maxLength: Int64 = 2000
        var minimum: Int64 = 0
        var maximum: Int64 = 1_000_000
        var required = false
        var group = ""
        var label = LocalizedLabel(en: raw)
        var labelNode = keyNode
        var groupNode = keyNode
        var valueNodes = [(String, Node)]()
        var fieldClass = FieldClass.identity
        var typeWord = ""
        var typeNode = node
        var search: (SearchKind, Node)?
        var stats: (StatisticsUse, Node)?
        var valuesFrom: Node?
        for (key, _, value) in pairs {
            switch key {
            case "class": fieldClass = try reader.word(value, as: FieldClass.self, what: "field class")
            case "type": typeWord = try reader.string(value, what: "type"); typeNode = value
            case "values":
                let items = try reader.list(value, what: "values")
                guard !items.isEmpty else { throw reader.fail(value, "values of \(what) must not be empty") }
                values = items.map(\.0)
                valueNodes = items
            case "max_length":
                maxLength = try reader.integer(value, what: "max_length")
                guard (1...100_000).contains(maxLength) else { throw reader.fail(value, "max_length must be from 1 to 100000") }
            case "min": minimum = try reader.integer(value, what: "min")
            case "max": maximum = try reader.integer(value, what: "max")
            case "required": required = try reader.bool(value, what: "required")
            case "group": group = try reader.string(value, what: "group"); groupNode = value
            case "search": search = (try reader.word(value, as: SearchKind.self, what: "search kind"), value)
            case "stats": stats = (try reader.word(value, as: StatisticsUse.self, what: "statistics use"), value)
            case "values_from":
                guard try reader.string(value, what: "values_from") == "provinces" else {
                    throw reader.fail(value, "\(what): values_from must be 'provinces' (the list in provinces.yaml)")
                }
                valuesFrom = value
            default: label = try reader.label(value, what: "label of \(what)"); labelNode = value
            }
        }
        let kind: FieldKind
        switch typeWord {
        case "text": kind = .text(maxLength: Int(maxLength))
        case "date": kind = .date
        case "choice":
            if let valuesFrom {
                guard values == nil, let provinces else {
                    throw reader.fail(valuesFrom, values != nil ? "\(what): give 'values' or 'values_from', not both"
                                                               : "\(what): values_from: provinces needs policy/provinces.yaml")
                }
                kind = .choice(provinces.map(\.code))
            } else {
                guard let values else { throw reader.fail(node, "\(what) of type choice needs 'values'") }
                kind = .choice(values)
            }
        case "integer":
            guard minimum <= maximum else { throw reader.fail(node, "\(what): min is greater than max") }
            kind = .integer(min: minimum, max: maximum)
        default:
            throw reader.fail(typeNode, "unknown field type '\(typeWord)' (expected one of: text, date, choice, integer)")
        }
        if let valuesFrom, typeWord != "choice" {
            throw reader.fail(valuesFrom, "\(what): 'values_from' applies only to type choice")
        }
        if let (use, useNode) = stats {
            guard use.needsDate == (typeWord == "date"), use.needsDate || typeWord == "choice" else {
                throw reader.fail(useNode, "\(what): stats '\(use.rawValue)' needs a \(use.needsDate ? "date" : "choice") field")
            }
            if use == .reportedElsewhere, case .choice(let v) = kind, !v.contains("yes") {
                throw reader.fail(useNode, "\(what): stats 'reported_elsewhere' needs a choice with the value 'yes'")
            }
        }
        if values != nil, typeWord != "choice" {
            throw reader.fail(node, "\(what): 'values' applies only to type choice")
        }
        // A name or phone is text; a date of birth is a date.
        if let (kindOfSearch, searchNode) = search, (kindOfSearch == .date) != (typeWord == "date") || typeWord == "choice" || typeWord == "integer" {
            throw reader.fail(searchNode, "\(what): search '\(kindOfSearch.rawValue)' does not apply to type \(typeWord)"
                              + " (name and phone search text fields, date searches date fields)")
        }
        var spec = FieldSpec(name: name, fieldClass: fieldClass, kind: kind, required: required, group: group, label: label.en,
                             search: search?.0, stats: stats?.0)
        spec.labels = label
        sites.fields.append(.init(name: raw, label: label, labelNode: labelNode, group: group, groupNode: groupNode, values: valueNodes))
        return spec
    }
}
