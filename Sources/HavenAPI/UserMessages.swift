import HavenCore

/// `POST /v1/users` body.
public struct AddUserRequest: Codable, Sendable {
    public let name: String
    public let role: String
    public let agency: String
    /// The contents of the user's public key file.
    public let publicKey: String
    public let uid: UInt32?

    public init(name: String, role: String, agency: String, publicKey: String, uid: UInt32?) {
        self.name = name
        self.role = role
        self.agency = agency
        self.publicKey = publicKey
        self.uid = uid
    }

    enum CodingKeys: String, CodingKey {
        case name, role, agency, uid
        case publicKey = "public_key"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["name", "role", "agency", "public_key", "uid"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decode(String.self, forKey: .role)
        agency = try c.decode(String.self, forKey: .agency)
        publicKey = try c.decode(String.self, forKey: .publicKey)
        uid = try c.decodeIfPresent(UInt32.self, forKey: .uid)
    }
}

/// `POST /v1/users/{name}/rekey` body.
public struct RekeyUserRequest: Codable, Sendable {
    /// The contents of the user's new public key file.
    public let publicKey: String

    public init(publicKey: String) {
        self.publicKey = publicKey
    }

    enum CodingKeys: String, CodingKey {
        case publicKey = "public_key"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["public_key"])
        publicKey = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .publicKey)
    }
}

/// One user in `GET /v1/users`.
public struct UserSummary: Codable, Sendable, Equatable {
    public let name: String
    public let role: String
    public let agency: String
    public let keyID: String
    public let uid: UInt32?
    public let status: String
    public let createdAt: String
    public let revokedAt: String?

    public init(name: String, role: String, agency: String, keyID: String, uid: UInt32?, status: String,
                createdAt: String, revokedAt: String?) {
        self.name = name
        self.role = role
        self.agency = agency
        self.keyID = keyID
        self.uid = uid
        self.status = status
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, role, agency, uid, status
        case keyID = "key_id"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// `GET /v1/users` answer.
public struct UserListResponse: Codable, Sendable {
    public let users: [UserSummary]

    public init(users: [UserSummary]) {
        self.users = users
    }
}
