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
    /// The record's case number at the caller's agency, else at its own agency.
    public var caseNumber: String?

    public init(id: String, type: String, agency: String, matched: [String], nameMatch: String?, assignees: [String],
                caseNumber: String? = nil) {
        self.caseNumber = caseNumber
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
        case caseNumber = "case_number"
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
/// birth, or the same phone, as the new one (the record is created all the same). At most
/// `PossibleDuplicates.bound` are found, the most recently changed first: `count` says how
/// many (those in `records` and those counted in `elsewhere`), and `unchecked` how many
/// further candidates were left unopened once the bound was reached (0 when the check saw
/// them all), so a long list is never passed over in silence.
public struct PossibleDuplicates: Codable, Sendable, Equatable {
    /// The most possible duplicates one create finds.
    public static let bound = 20

    public let records: [FoundRecord]
    public let elsewhere: [AgencyCount]
    public let count: Int
    public let unchecked: Int

    public init(records: [FoundRecord], elsewhere: [AgencyCount], count: Int? = nil, unchecked: Int = 0) {
        self.records = records
        self.elsewhere = elsewhere
        self.count = count ?? records.count + elsewhere.reduce(0) { $0 + $1.count }
        self.unchecked = unchecked
    }

    /// Whether more possible duplicates may exist than were found.
    public var more: Bool { unchecked > 0 }

    enum CodingKeys: String, CodingKey { case records, elsewhere, count, unchecked }

    /// An answer without `count` and `unchecked` (a daemon before the bound) found them all.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decode([FoundRecord].self, forKey: .records)
        elsewhere = try c.decode([AgencyCount].self, forKey: .elsewhere)
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? records.count + elsewhere.reduce(0) { $0 + $1.count }
        unchecked = try c.decodeIfPresent(Int.self, forKey: .unchecked) ?? 0
    }
}
