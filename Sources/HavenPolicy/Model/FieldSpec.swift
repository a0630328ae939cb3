import HavenCore

/// What values a field accepts.
public enum FieldKind: Sendable, Equatable {
    /// Free text up to `maxLength` Unicode scalars.
    case text(maxLength: Int)
    /// A calendar date, stored as `YYYY-MM-DD`, typed in any form `CalendarDate` accepts.
    case date
    /// One of a closed list of codes (GBVIMS classifications and the like).
    case choice([String])
    /// A whole number within bounds.
    case integer(min: Int64, max: Int64)
}

/// How a searchable field is found (`search:` in a schema file): by a name (compared without
/// case, spacing or diacritics), a phone number, or a date.
public enum SearchKind: String, Sendable, Equatable, CaseIterable {
    case name
    case phone
    case date
}

/// One field of a record type, as the schema file defines it.
public struct FieldSpec: Sendable, Equatable {
    public let name: FieldName
    public let fieldClass: FieldClass
    public let kind: FieldKind
    public let required: Bool
    /// The intake-form group the field belongs to (GBVIMS section), for display.
    public let group: String
    public let label: String
    /// The label in English, Lao and Vietnamese (`label: {en: …, lo: …, vi: …}`); English
    /// alone when the schema gives a plain string.
    public var labels: LocalizedLabel
    /// Whether, and how, the field has a blind index to find records by.
    public let search: SearchKind?
    /// What the field gives the anonymised statistics, if anything.
    public let stats: StatisticsUse?

    public init(name: FieldName, fieldClass: FieldClass, kind: FieldKind, required: Bool, group: String, label: String,
                search: SearchKind? = nil, stats: StatisticsUse? = nil) {
        self.search = search
        self.stats = stats
        self.name = name
        self.fieldClass = fieldClass
        self.kind = kind
        self.required = required
        self.group = group
        self.label = label
        self.labels = LocalizedLabel(en: label)
    }

    /// Checks a value against the field's kind; the error names the field, never the value
    /// (the value may be a survivor's data and error messages reach logs).
    public func validate(_ value: String) throws(HavenError) {
        _ = try stored(value)
    }

    /// The value as it is stored: a date in `YYYY-MM-DD` from any form `CalendarDate` reads
    /// (15/08/1995 is 1995-08-15), everything else as given; checked as `validate` says.
    public func stored(_ value: String) throws(HavenError) -> String {
        switch kind {
        case .text(let maxLength):
            guard value.unicodeScalars.count <= maxLength else {
                throw .invalidValue("field '\(name)' is longer than \(maxLength) characters")
            }
        case .date:
            guard let iso = CalendarDate.iso(value), let t = Timestamp(parsing: iso), DateBounds.contains(t) else {
                throw HavenError(.invalidValue, "field '\(name)' must be a date \(DateBounds.description)",
                                 hint: "write it \(CalendarDate.accepted); the month is never read first")
            }
            return iso
        case .choice(let values):
            guard values.contains(value) else {
                throw .invalidValue("field '\(name)' must be one of: \(values.joined(separator: ", "))")
            }
        case .integer(let min, let max):
            guard let v = Int64(value), v >= min, v <= max else {
                throw .invalidValue("field '\(name)' must be a whole number from \(min) to \(max)")
            }
        }
        return value
    }
}

/// A kind of record (`gbv_incident`, `trafficking_case` …) and its fields.
public struct RecordType: Sendable, Equatable {
    public let name: RecordTypeName
    public let description: String
    /// In the order the schema file lists them (the intake form's order).
    public let fields: [FieldSpec]
    private let index: [FieldName: Int]

    public init(name: RecordTypeName, description: String, fields: [FieldSpec]) {
        self.name = name
        self.description = description
        self.fields = fields
        var index = [FieldName: Int]()
        for (i, f) in fields.enumerated() { index[f.name] = i }
        self.index = index
    }

    public func field(_ name: FieldName) -> FieldSpec? {
        index[name].map { fields[$0] }
    }

    /// Resolves a field name sent by a client: unknown names are refused by name.
    public func field(named raw: String) throws(HavenError) -> FieldSpec {
        guard let name = try? FieldName(raw), let spec = field(name) else {
            throw HavenError(.unknownField, "unknown field '\(NameRules.printable(raw))' for record type \(self.name)",
                             hint: "the fields of \(self.name) are listed in policy/schema/\(self.name).yaml")
        }
        return spec
    }
}
