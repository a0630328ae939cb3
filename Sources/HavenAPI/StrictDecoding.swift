import HavenCore

/// Any JSON member name, for listing what a client sent.
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Refuses JSON members a request type does not define. A misspelt member (`purpse`)
/// must be an error, not a request that silently runs without it.
func rejectUnknownMembers(_ decoder: any Decoder, allowed: Set<String>) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    for key in container.allKeys where !allowed.contains(key.stringValue) {
        throw HavenError(.unknownField, "unknown member '\(NameRules.printable(key.stringValue))' in the request body",
                         hint: "allowed members: \(allowed.sorted().joined(separator: ", "))")
    }
}
