import HavenCore

extension Policy {
    /// The fields a search can find a record by, across every record type: one field name
    /// is one index, so a survivor recorded under two types is found by either.
    public var searchFields: [FieldName: SearchKind] {
        var out = [FieldName: SearchKind]()
        for type in recordTypes.values {
            for spec in type.fields { if let kind = spec.search { out[spec.name] = kind } }
        }
        return out
    }

    /// The first field that two record types search as different kinds (one index cannot
    /// hold both forms); nil when the policy's search keys agree.
    static func searchConflict(_ types: [RecordTypeName: RecordType]) -> (field: FieldName, types: [RecordTypeName])? {
        var seen = [FieldName: (SearchKind?, RecordTypeName)]()
        for name in types.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            for spec in types[name]!.fields {
                if let (kind, first) = seen[spec.name] {
                    if kind != spec.search { return (spec.name, [first, name]) }
                } else {
                    seen[spec.name] = (spec.search, name)
                }
            }
        }
        return nil
    }
}
