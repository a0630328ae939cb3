/// Reading values out of canonical JSON that authenticated: a value of the wrong type or
/// syntax is an integrity failure, since only a bug or a forged key could have sealed it.
enum CanonicalParsing {
    static func name<N>(_ value: JSONValue?, _ make: (String) throws(HavenError) -> N) throws(HavenError) -> N {
        guard let text = value?.string else { throw HavenError.integrity }
        return try name(text, make)
    }

    static func name<N>(_ text: String, _ make: (String) throws(HavenError) -> N) throws(HavenError) -> N {
        do {
            return try make(text)
        } catch {
            throw HavenError.integrity
        }
    }

    static func time(_ value: JSONValue?) throws(HavenError) -> Timestamp {
        guard let text = value?.string, let t = Timestamp(parsing: text) else { throw HavenError.integrity }
        return t
    }
}
