/// The canonical JSON of a referral (one entry of a format-3 header's `referrals.latest`)
/// and of a referral event (the plaintext of a sealed `referral_events` row); HavenCrypto
/// FORMAT.md, "record header" and "record history".
extension Referral {
    public func write(to w: inout JSONWriter) {
        w.object { x in
            x.field("id", id.rawValue)
            x.field("service", service)
            x.field("from", from.rawValue)
            x.field("to", to.rawValue)
            x.field("status", status.rawValue)
            x.field("created_by", createdBy.rawValue)
            x.field("created_at", createdAt.rfc3339)
            x.field("updated_by", updatedBy.rawValue)
            x.field("updated_at", updatedAt.rfc3339)
            x.field("assignee", assignee?.rawValue)
        }
    }

    /// Parses bytes that authenticated; any malformation is an integrity failure.
    init(json r: JSONValue) throws(HavenError) {
        guard let service = r["service"]?.string, ReferralEvent.isServiceName(service),
              let s = r["status"]?.string, let status = ReferralStatus(rawValue: s), let assignee = r["assignee"] else {
            throw HavenError.integrity
        }
        self.init(id: try CanonicalParsing.name(r["id"], ReferralID.init), service: service,
                  from: try CanonicalParsing.name(r["from"], AgencyName.init), to: try CanonicalParsing.name(r["to"], AgencyName.init),
                  status: status, createdBy: try CanonicalParsing.name(r["created_by"], UserName.init),
                  createdAt: try CanonicalParsing.time(r["created_at"]),
                  updatedBy: try CanonicalParsing.name(r["updated_by"], UserName.init),
                  updatedAt: try CanonicalParsing.time(r["updated_at"]),
                  assignee: assignee.isNull ? nil : try CanonicalParsing.name(assignee, UserName.init))
    }
}

extension ReferralEvent {
    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + (text?.utf8.count ?? 0) + (note?.utf8.count ?? 0))
        w.object { x in
            x.field("referral", referral.rawValue)
            x.field("kind", kind.rawValue)
            x.field("by", by.rawValue)
            x.field("at", at.rfc3339)
            x.field("service", service)
            x.field("to", to.rawValue)
            x.field("text", text)
            x.field("note", note)
            x.field("assignee", assignee?.rawValue)
        }
        return w.bytes
    }

    /// Parses bytes that authenticated; any malformation is an integrity failure.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        guard let e = JSONValue.parse(bytes), let k = e["kind"]?.string, let kind = Kind(rawValue: k),
              let service = e["service"]?.string, Self.isServiceName(service),
              let text = e["text"], text.isNull || text.string != nil, let note = e["note"], note.isNull || note.string != nil,
              let assignee = e["assignee"] else {
            throw HavenError.integrity
        }
        self.init(referral: try CanonicalParsing.name(e["referral"], ReferralID.init), kind: kind,
                  by: try CanonicalParsing.name(e["by"], UserName.init), at: try CanonicalParsing.time(e["at"]), service: service,
                  to: try CanonicalParsing.name(e["to"], AgencyName.init), text: text.string, note: note.string,
                  assignee: assignee.isNull ? nil : try CanonicalParsing.name(assignee, UserName.init))
    }

    /// A service name as the policy spells them: lower-case letters, digits and `_`.
    public static func isServiceName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
