/// A note's metadata as canonical JSON: one member of a format-1 header's `notes` list, and
/// the plaintext of a note row's sealed `meta` (HavenCrypto FORMAT.md, "record history").
extension NoteMetadata {
    public func write(to w: inout JSONWriter) {
        w.object { x in
            x.field("index", index)
            x.field("class", fieldClass.rawValue)
            x.field("author", author.rawValue)
            x.field("created_at", createdAt.rfc3339)
        }
    }

    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        write(to: &w)
        return w.bytes
    }

    /// Parses bytes that authenticated; any malformation is an integrity failure.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        guard let json = JSONValue.parse(bytes) else { throw HavenError.integrity }
        try self.init(json: json)
    }

    init(json n: JSONValue) throws(HavenError) {
        guard let index = n["index"]?.uint64, let c = n["class"]?.string, let fieldClass = FieldClass(rawValue: c) else {
            throw HavenError.integrity
        }
        self.init(index: index, fieldClass: fieldClass, author: try CanonicalParsing.name(n["author"], UserName.init),
                  createdAt: try CanonicalParsing.time(n["created_at"]))
    }
}
