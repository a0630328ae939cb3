import HavenCore

/// `POST /v1/backups` answer: an encrypted archive waiting in the daemon's spool.
public struct BackupCreated: Codable, Sendable, Equatable {
    public let name: String
    public let size: Int
    public let vaultID: String
    public let createdAt: String
    public let auditSize: UInt64

    public init(name: String, size: Int, vaultID: String, createdAt: String, auditSize: UInt64) {
        self.name = name
        self.size = size
        self.vaultID = vaultID
        self.createdAt = createdAt
        self.auditSize = auditSize
    }

    enum CodingKeys: String, CodingKey {
        case name, size
        case vaultID = "vault_id"
        case createdAt = "created_at"
        case auditSize = "audit_size"
    }
}

/// `GET /v1/backups/{name}?offset=N` answer: up to 4 MiB of the archive, base64.
public struct BackupChunk: Codable, Sendable {
    public let offset: Int
    public let size: Int
    public let data: String

    public init(offset: Int, size: Int, data: String) {
        self.offset = offset
        self.size = size
        self.data = data
    }
}
