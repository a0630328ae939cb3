/// `POST /v1/audit/searches` body: the values an auditor asks about (at least one), sent in
/// the body rather than the URL so that no proxy or access log keeps them.
public struct AuditSearchesRequest: Codable, Sendable {
    public let name: String?
    public let phone: String?
    public let dob: String?
    /// A date or RFC 3339 time: only finds from then on.
    public let since: String?
    /// Only finds before this date or time.
    public let until: String?

    public init(name: String?, phone: String?, dob: String?, since: String? = nil, until: String? = nil) {
        self.name = name
        self.phone = phone
        self.dob = dob
        self.since = since
        self.until = until
    }

    enum CodingKeys: String, CodingKey { case name, phone, dob, since, until }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["name", "phone", "dob", "since", "until"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        dob = try c.decodeIfPresent(String.self, forKey: .dob)
        since = try c.decodeIfPresent(String.self, forKey: .since)
        until = try c.decodeIfPresent(String.self, forKey: .until)
    }
}

/// `POST /v1/audit/searches` answer: every `record.find` entry that searched for at least
/// one of the values, newest first, as the log holds it (the entry's own JSON).
public struct AuditSearchesResponse: Codable, Sendable {
    /// The keyed digest of each value asked about, by kind (`name`, `phone`, `dob`): an
    /// entry searched for it when its detail holds the same `KIND_digest`.
    public let digests: [String: String]
    public let entries: [AuditEntryView]
    /// How many `record.find` entries were looked through.
    public let scanned: Int

    public init(digests: [String: String], entries: [AuditEntryView], scanned: Int) {
        self.digests = digests
        self.entries = entries
        self.scanned = scanned
    }

    /// The kinds of value an entry searched for that match the question (`name,dob`).
    public func matched(_ entry: AuditEntryView) -> [String] {
        ["name", "phone", "dob"].filter { kind in digests[kind].map { entry.detail["\(kind)_digest"] == $0 } ?? false }
    }
}
