/// `POST /v1/records/find` body: at least one of name, phone and date of birth, and why.
public struct FindRecordsRequest: Codable, Sendable {
    public let name: String?
    public let phone: String?
    public let dob: String?
    public let purpose: String

    public init(name: String?, phone: String?, dob: String?, purpose: String) {
        self.name = name
        self.phone = phone
        self.dob = dob
        self.purpose = purpose
    }

    enum CodingKeys: String, CodingKey { case name, phone, dob, purpose }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["name", "phone", "dob", "purpose"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        dob = try c.decodeIfPresent(String.self, forKey: .dob)
        purpose = try c.decode(String.self, forKey: .purpose)
    }
}

/// A matching record the caller could read the matched fields of: metadata, never values.
public struct FoundRecord: Codable, Sendable, Equatable {
    public let id: String
    public let type: String
    public let agency: String
    /// The fields that matched (e.g. survivor_name, date_of_birth).
    public let matched: [String]
    /// `exact`, or `without_diacritics` when the name matched only once its diacritics
    /// were set aside; absent when no name was searched.
    public let nameMatch: String?
    public let assignees: [String]

    public init(id: String, type: String, agency: String, matched: [String], nameMatch: String?, assignees: [String]) {
        self.id = id
        self.type = type
        self.agency = agency
        self.matched = matched
        self.nameMatch = nameMatch
        self.assignees = assignees
    }

    enum CodingKeys: String, CodingKey {
        case id, type, agency, matched, assignees
        case nameMatch = "name_match"
    }
}

/// How many matches an agency holds that the caller may not see.
public struct AgencyCount: Codable, Sendable, Equatable {
    public let agency: String
    public let count: Int

    public init(agency: String, count: Int) {
        self.agency = agency
        self.count = count
    }
}

/// `POST /v1/records/find` answer: matches in reach; of the others, only what the caller's
/// role and the survivor's consent allow — counts by a named agency, or one flag that a
/// record may exist elsewhere (no agency, no number), or nothing.
public struct FindRecordsResponse: Codable, Sendable {
    public let matches: [FoundRecord]
    /// Matches the caller may not see, by agency, where the agency may be named.
    public let elsewhere: [AgencyCount]
    /// True when some other match may only be hinted at: "a record may exist elsewhere;
    /// ask the OSSC coordinator". False from a daemon older than the flag.
    public let mayExistElsewhere: Bool
    public let auditSeq: UInt64

    public init(matches: [FoundRecord], elsewhere: [AgencyCount], mayExistElsewhere: Bool = false, auditSeq: UInt64) {
        self.matches = matches
        self.elsewhere = elsewhere
        self.mayExistElsewhere = mayExistElsewhere
        self.auditSeq = auditSeq
    }

    enum CodingKeys: String, CodingKey {
        case matches, elsewhere
        case mayExistElsewhere = "may_exist_elsewhere"
        case auditSeq = "audit_seq"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        matches = try c.decode([FoundRecord].self, forKey: .matches)
        elsewhere = try c.decode([AgencyCount].self, forKey: .elsewhere)
        mayExistElsewhere = try c.decodeIfPresent(Bool.self, forKey: .mayExistElsewhere) ?? false
        auditSeq = try c.decode(UInt64.self, forKey: .auditSeq)
    }
}

/// Part of `record create`'s answer: existing records with the same name and date of
/// birth, or the same phone, as the new one (the record is created all the same).
public struct PossibleDuplicates: Codable, Sendable, Equatable {
    public let records: [FoundRecord]
    public let elsewhere: [AgencyCount]

    public init(records: [FoundRecord], elsewhere: [AgencyCount]) {
        self.records = records
        self.elsewhere = elsewhere
    }
}
