/// A person enrolled in the vault: who they are, their role and agency, the key they
/// authenticate with and, optionally, the Unix uid they must connect from.
public struct EnrolledUser: Sendable, Equatable {
    public let name: UserName
    public let role: RoleName
    public let agency: AgencyName
    /// The user's Ed25519 public key (32 bytes).
    public let publicKey: [UInt8]
    /// When set, the socket peer's uid (SO_PEERCRED) must equal it.
    public let uid: UInt32?
    public var revokedAt: Timestamp?
    public var revokedBy: UserName?
    public let createdAt: Timestamp
    public let createdBy: UserName

    public init(name: UserName, role: RoleName, agency: AgencyName, publicKey: [UInt8], uid: UInt32?,
                createdAt: Timestamp, createdBy: UserName, revokedAt: Timestamp? = nil, revokedBy: UserName? = nil) {
        self.name = name
        self.role = role
        self.agency = agency
        self.publicKey = publicKey
        self.uid = uid
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }

    public var isActive: Bool { revokedAt == nil }

    /// The same user authenticating with another key (`user rekey`).
    public func with(publicKey: [UInt8]) -> EnrolledUser {
        EnrolledUser(name: name, role: role, agency: agency, publicKey: publicKey, uid: uid, createdAt: createdAt,
                     createdBy: createdBy, revokedAt: revokedAt, revokedBy: revokedBy)
    }
}
