/// The name of a field in a record type: lower-case letters, digits and `_`, 1 to 64 characters.
public struct FieldName: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        let bytes = Array(rawValue.utf8)
        let ok = (1...64).contains(bytes.count) && bytes.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
        }
        guard ok else {
            throw HavenError(.unknownField, "unknown field '\(NameRules.printable(rawValue))'")
        }
        self.rawValue = rawValue
    }
}

/// The name of a record type defined in `policy/schema/` (`gbv_incident`, `trafficking_case` …).
public struct RecordTypeName: ValidatedString {
    public let rawValue: String

    public init(_ rawValue: String) throws(HavenError) {
        guard (try? FieldName(rawValue)) != nil else {
            throw HavenError(.unknownRecordType, "unknown record type '\(NameRules.printable(rawValue))'")
        }
        self.rawValue = rawValue
    }
}
