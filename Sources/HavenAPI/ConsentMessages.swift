import HavenCore

/// `POST /v1/records/{id}/consent` body: a grant or withdrawal of one flag.
public struct ConsentChangeRequest: Codable, Sendable {
    public let flag: String
    public let action: String
    public let evidence: String?
    public let expires: String?

    public init(flag: String, action: String, evidence: String?, expires: String?) {
        self.flag = flag
        self.action = action
        self.evidence = evidence
        self.expires = expires
    }

    enum CodingKeys: String, CodingKey { case flag, action, evidence, expires }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["flag", "action", "evidence", "expires"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        flag = try c.decode(String.self, forKey: .flag)
        action = try c.decode(String.self, forKey: .action)
        evidence = try c.decodeIfPresent(String.self, forKey: .evidence)
        expires = try c.decodeIfPresent(String.self, forKey: .expires)
    }
}

/// `GET /v1/records/{id}/consent` answer: each flag's state now, and a page of the history.
public struct ConsentResponse: Codable, Sendable {
    public struct FlagState: Codable, Sendable, Equatable {
        public let flag: String
        public let state: String
        public let expiresAt: String?

        public init(flag: String, state: String, expiresAt: String?) {
            self.flag = flag
            self.state = state
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case flag, state
            case expiresAt = "expires_at"
        }
    }

    public struct Event: Codable, Sendable, Equatable {
        /// Position in the record's consent history, from 1.
        public let index: UInt64
        public let flag: String
        public let kind: String
        public let recordedBy: String
        public let recordedAt: String
        public let evidence: String?
        public let expiresAt: String?

        public init(index: UInt64, flag: String, kind: String, recordedBy: String, recordedAt: String, evidence: String?,
                    expiresAt: String?) {
            self.index = index
            self.flag = flag
            self.kind = kind
            self.recordedBy = recordedBy
            self.recordedAt = recordedAt
            self.evidence = evidence
            self.expiresAt = expiresAt
        }

        enum CodingKeys: String, CodingKey {
            case index, flag, kind, evidence
            case recordedBy = "recorded_by"
            case recordedAt = "recorded_at"
            case expiresAt = "expires_at"
        }
    }

    public let id: String
    public let flags: [FlagState]
    /// The page of history asked for (`history_before`, `history_limit`), oldest first.
    public let history: [Event]
    /// How many consent events the record holds.
    public let historyTotal: UInt64

    public init(id: String, flags: [FlagState], history: [Event], historyTotal: UInt64) {
        self.id = id
        self.flags = flags
        self.history = history
        self.historyTotal = historyTotal
    }

    enum CodingKeys: String, CodingKey {
        case id, flags, history
        case historyTotal = "history_total"
    }
}
