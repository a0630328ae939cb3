/// One grant or withdrawal of consent, kept forever: history is appended, never overwritten.
public struct ConsentEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case grant
        case withdraw
    }

    public let flag: ConsentFlag
    public let kind: Kind
    public let recordedBy: UserName
    public let recordedAt: Timestamp
    /// Free text or a hash of a signed consent form; stored encrypted with the record.
    public let evidence: String?
    /// A grant stops counting at this instant; nil means until withdrawn.
    public let expiresAt: Timestamp?

    public init(flag: ConsentFlag, kind: Kind, recordedBy: UserName, recordedAt: Timestamp,
                evidence: String? = nil, expiresAt: Timestamp? = nil) {
        self.flag = flag
        self.kind = kind
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.evidence = evidence
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case flag, kind, evidence
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
        case expiresAt = "expires_at"
    }
}
