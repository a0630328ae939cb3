import HavenCore

/// Typed reading of query parameters; a malformed one is a 400 naming the parameter.
struct QueryParameters {
    let values: [String: String]

    func string(_ name: String) -> String? { values[name] }

    func uint(_ name: String) throws(HavenError) -> UInt64? {
        guard let raw = values[name] else { return nil }
        guard let v = UInt64(raw) else { throw HavenError(.invalidValue, "query parameter '\(name)' must be a whole number") }
        return v
    }

    func int(_ name: String) throws(HavenError) -> Int? {
        try uint(name).map { Int(clamping: $0) }
    }

    func time(_ name: String) throws(HavenError) -> Timestamp? {
        guard let raw = values[name] else { return nil }
        guard let t = Timestamp(parsing: raw) else {
            throw HavenError(.invalidValue, "query parameter '\(name)' must be a date or an RFC 3339 time")
        }
        return t
    }

    func flag(_ name: String, default absent: Bool = false) throws(HavenError) -> Bool {
        switch values[name] {
        case nil: return absent
        case "false", "0": return false
        case "true", "1", "": return true
        default: throw HavenError(.invalidValue, "query parameter '\(name)' must be true or false")
        }
    }
}
