import HavenCore

/// `POST /v1/records/{id}/erase` body: why the record is destroyed (the survivor's request,
/// a retention rule), kept in the audit entry — never survivor data.
public struct EraseRecordRequest: Codable, Sendable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["reason"])
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }

    enum CodingKeys: String, CodingKey {
        case reason
    }
}

/// The answer of an erasure, and what an erased record's 410 names.
public struct EraseRecordResponse: Codable, Sendable, Equatable {
    public let id: String
    public let erasedAt: String
    public let erasedBy: String

    public init(id: String, erasedAt: String, erasedBy: String) {
        self.id = id
        self.erasedAt = erasedAt
        self.erasedBy = erasedBy
    }

    enum CodingKeys: String, CodingKey {
        case id
        case erasedAt = "erased_at"
        case erasedBy = "erased_by"
    }
}
