/// A consent event's canonical JSON: one member of a format-1 header's `consent` list, one
/// entry of a header's `latest`, and the plaintext of a sealed `consent_events` row
/// (HavenCrypto FORMAT.md, "record history").
extension ConsentEvent {
    public func write(to w: inout JSONWriter) {
        w.object { x in
            x.field("flag", flag.rawValue)
            x.field("kind", kind.rawValue)
            x.field("recorded_by", recordedBy.rawValue)
            x.field("recorded_at", recordedAt.rfc3339)
            x.field("evidence", evidence)
            x.field("expires_at", expiresAt?.rfc3339)
        }
    }

    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        write(to: &w)
        return w.bytes
    }

    /// Parses bytes that authenticated; any malformation is an integrity failure.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        guard let json = JSONValue.parse(bytes) else { throw HavenError.integrity }
        try self.init(json: json)
    }

    init(json e: JSONValue) throws(HavenError) {
        guard let f = e["flag"]?.string, let flag = ConsentFlag(rawValue: f),
              let k = e["kind"]?.string, let kind = ConsentEvent.Kind(rawValue: k),
              let evidence = e["evidence"], evidence.isNull || evidence.string != nil,
              let expires = e["expires_at"] else {
            throw HavenError.integrity
        }
        self.init(flag: flag, kind: kind, recordedBy: try CanonicalParsing.name(e["recorded_by"], UserName.init),
                  recordedAt: try CanonicalParsing.time(e["recorded_at"]), evidence: evidence.string,
                  expiresAt: expires.isNull ? nil : try CanonicalParsing.time(expires))
    }
}
