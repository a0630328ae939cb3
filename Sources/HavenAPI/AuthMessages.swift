import HavenCore

/// `POST /v1/auth/challenge` answer: a fresh nonce bound to this connection.
public struct ChallengeResponse: Codable, Sendable {
    public let vaultID: String
    public let nonce: String
    public let expiresInSeconds: Int
    /// The connection's peer as the kernel reports it (SO_PEERCRED): the uid and pid the
    /// daemon puts in the transcript. Nil from an older havend, which does not send them.
    public let peerUID: UInt32?
    public let peerPID: Int32?

    public init(vaultID: String, nonce: String, expiresInSeconds: Int, peerUID: UInt32? = nil, peerPID: Int32? = nil) {
        self.vaultID = vaultID
        self.nonce = nonce
        self.expiresInSeconds = expiresInSeconds
        self.peerUID = peerUID
        self.peerPID = peerPID
    }

    enum CodingKeys: String, CodingKey {
        case nonce
        case vaultID = "vault_id"
        case expiresInSeconds = "expires_in_seconds"
        case peerUID = "peer_uid"
        case peerPID = "peer_pid"
    }
}

/// `POST /v1/auth/session` body: the caller's public key and its signature over the
/// challenge transcript (see `AuthTranscript`).
public struct SessionRequest: Codable, Sendable {
    public let publicKey: String
    public let signature: String

    public init(publicKey: String, signature: String) {
        self.publicKey = publicKey
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case publicKey = "public_key"
        case signature
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["public_key", "signature"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        publicKey = try c.decode(String.self, forKey: .publicKey)
        signature = try c.decode(String.self, forKey: .signature)
    }
}

/// `POST /v1/auth/session` and `GET /v1/status` answer: who the connection is now.
public struct SessionResponse: Codable, Sendable {
    public let user: String
    public let role: String
    public let agency: String
    public let vaultID: String
    public let policyVersion: String
    /// How many times the vault was restored from a backup (0: never).
    public let restoreEpoch: Int
    /// `GET /v1/status` only (absent from a session's answer): the daemon's release, whether
    /// the vault is sealed, the audit log's head and the anchor's health.
    public var release: String?
    public var sealed: Bool?
    public var auditLog: AuditLogHead?
    public var anchor: AnchorHealth?

    public init(user: String, role: String, agency: String, vaultID: String, policyVersion: String, restoreEpoch: Int = 0) {
        self.restoreEpoch = restoreEpoch
        self.user = user
        self.role = role
        self.agency = agency
        self.vaultID = vaultID
        self.policyVersion = policyVersion
    }

    enum CodingKeys: String, CodingKey {
        case user, role, agency
        case vaultID = "vault_id"
        case policyVersion = "policy_version"
        case restoreEpoch = "restore_epoch"
        case release, sealed, anchor
        case auditLog = "audit_log"
    }
}

/// The exact bytes a client signs to open a session (FORMAT.md, "authentication").
///
/// Each line binds something an attacker would want to change:
/// - the domain line: a signature made for this can never pass as anything else signed;
/// - vault id: a transcript for one vault is worthless at another;
/// - nonce: fresh per connection and single-use, so a captured transcript cannot be replayed
///   on another connection or twice on the same one;
/// - uid and pid: the socket peer the daemon sees (SO_PEERCRED), so a signature obtained
///   from one process cannot authenticate a connection made by another;
/// - public key: which enrolled key is claimed.
public enum AuthTranscript {
    public static func bytes(vaultID: String, nonce: String, uid: UInt32, pid: Int32, publicKey: String) -> [UInt8] {
        Array("haven-auth-v1\nvault \(vaultID)\nnonce \(nonce)\nuid \(uid)\npid \(pid)\nkey \(publicKey)\n".utf8)
    }
}

/// `GET /v1/health` answer, without a session: the daemon answers, and whether its vault is
/// sealed (no keys in memory, nothing served); nothing else.
public struct HealthResponse: Codable, Sendable, Equatable {
    public let live: Bool
    public let sealed: Bool

    public init(live: Bool, sealed: Bool) {
        self.live = live
        self.sealed = sealed
    }
}
