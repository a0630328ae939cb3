import HavenCore

/// `POST /v1/records/{id}/erase` body: why the record is destroyed, as a code of the
/// policy's erasure reasons (`survivor_request`, `court_order`, …), and optionally a
/// reference (a court order's number); both kept in the audit entry, never words.
public struct EraseRecordRequest: Codable, Sendable {
    public let reason: String
    public let reference: String?

    public init(reason: String, reference: String? = nil) {
        self.reason = reason
        self.reference = reference
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["reason", "reference"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = try c.decode(String.self, forKey: .reason)
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
    }

    enum CodingKeys: String, CodingKey {
        case reason, reference
    }
}

/// The answer of an erasure, to the user who erased it (`erased_by` is the caller's own
/// name; a later request for the record is told the date only).
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
