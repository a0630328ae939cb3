import HavenCore

/// `POST /v1/records/{id}/referrals` body: refer the record to an agency for a service.
public struct ReferralCreateRequest: Codable, Sendable {
    public let to: String
    public let service: String
    /// Why (audited like a read's purpose: say why, never who).
    public let purpose: String
    /// For the receiving agency once it accepts (sealed with the record).
    public let note: String?

    public init(to: String, service: String, purpose: String, note: String?) {
        self.to = to
        self.service = service
        self.purpose = purpose
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case to, service, purpose, note }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["to", "service", "purpose", "note"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        to = try c.decode(String.self, forKey: .to)
        service = try c.decode(String.self, forKey: .service)
        purpose = try c.decode(String.self, forKey: .purpose)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `POST /v1/referrals/{ref}/{accept|decline|revoke|close}` body: the reason (decline,
/// revoke, close: required) and, for accept, the user of the receiving agency who works it.
public struct ReferralStepRequest: Codable, Sendable {
    public let reason: String?
    public let assign: String?

    public init(reason: String? = nil, assign: String? = nil) {
        self.reason = reason
        self.assign = assign
    }

    enum CodingKeys: String, CodingKey { case reason, assign }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["reason", "assign"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        assign = try c.decodeIfPresent(String.self, forKey: .assign)
    }
}

/// One referral as its sending or receiving agency may see it. While a referral waits, the
/// receiving agency gets only the service, the dates and the sending agency: `record`,
/// the people and the words are left out until it accepts.
public struct ReferralSummary: Codable, Sendable, Equatable {
    public let ref: String
    public let service: String
    public let from: String
    public let to: String
    public let status: String
    public let createdAt: String
    public let updatedAt: String
    public let record: String?
    public let createdBy: String?
    public let assignee: String?
    /// The record's case numbers at the receiving agency (given as it accepts) and at the
    /// sending agency; nil wherever `record` is.
    public var caseNumber: String?
    public var fromCaseNumber: String?

    public init(ref: String, service: String, from: String, to: String, status: String, createdAt: String, updatedAt: String,
                record: String?, createdBy: String?, assignee: String?, caseNumber: String? = nil, fromCaseNumber: String? = nil) {
        self.caseNumber = caseNumber
        self.fromCaseNumber = fromCaseNumber
        self.ref = ref
        self.service = service
        self.from = from
        self.to = to
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.record = record
        self.createdBy = createdBy
        self.assignee = assignee
    }

    enum CodingKeys: String, CodingKey {
        case ref, service, from, to, status, record, assignee
        case createdAt = "created_at"
        case caseNumber = "case_number"
        case fromCaseNumber = "from_case_number"
        case updatedAt = "updated_at"
        case createdBy = "created_by"
    }
}

/// `GET /v1/referrals` answer.
public struct ReferralListResponse: Codable, Sendable {
    public let referrals: [ReferralSummary]
    /// Rows of the index that did not agree with their record's sealed header: not listed.
    public let unverified: Int

    public init(referrals: [ReferralSummary], unverified: Int) {
        self.referrals = referrals
        self.unverified = unverified
    }
}

/// `GET /v1/referrals/{ref}` answer: the referral and, where the caller may see them, its
/// steps with their words.
public struct ReferralDetail: Codable, Sendable {
    public struct Step: Codable, Sendable, Equatable {
        public let kind: String
        public let by: String
        public let at: String
        public let text: String?
        public let note: String?
        public let assignee: String?

        public init(kind: String, by: String, at: String, text: String?, note: String?, assignee: String?) {
            self.kind = kind
            self.by = by
            self.at = at
            self.text = text
            self.note = note
            self.assignee = assignee
        }
    }

    public let referral: ReferralSummary
    public let steps: [Step]

    public init(referral: ReferralSummary, steps: [Step]) {
        self.referral = referral
        self.steps = steps
    }
}

/// The answer to a referral's creation or step: where it now stands.
public struct ReferralWriteResponse: Codable, Sendable {
    public let ref: String
    /// Absent in the answer to a decline: the receiving agency never learns which record it
    /// turned down.
    public let record: String?
    public let status: String
    public let version: UInt64

    public init(ref: String, record: String?, status: String, version: UInt64) {
        self.ref = ref
        self.record = record
        self.status = status
        self.version = version
    }
}
