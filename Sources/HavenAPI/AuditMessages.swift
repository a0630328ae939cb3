import HavenAudit
import HavenCore

/// One audit entry as `GET /v1/audit/entries` returns it (the entry's own JSON).
public struct AuditEntryView: Codable, Sendable, Equatable {
    public struct Actor: Codable, Sendable, Equatable {
        public let user: String
        public let role: String
        public let agency: String
    }

    public struct Peer: Codable, Sendable, Equatable {
        public let uid: UInt32
        public let pid: Int32
    }

    public struct Withheld: Codable, Sendable, Equatable {
        public let field: String
        public let reason: String
    }

    public let v: Int
    public let seq: UInt64
    public let time: String
    public let prev: String
    public let action: String
    public let actor: Actor?
    public let peer: Peer?
    public let record: String?
    public let released: [String]
    public let written: [String]
    public let withheld: [Withheld]
    public let purpose: String?
    public let decision: String
    public let rule: String
    public let consent: [String: String]
    public let policyVersion: String?
    public let breakGlass: String?
    public let outcome: String
    public let detail: [String: String]

    enum CodingKeys: String, CodingKey {
        case v, seq, time, prev, action, actor, peer, record, released, written, withheld, purpose, decision, rule,
             consent, outcome, detail
        case policyVersion = "policy_version"
        case breakGlass = "break_glass"
    }
}

/// `GET /v1/audit/entries`.
public struct AuditLogResponse: Codable, Sendable {
    public let entries: [AuditEntryView]
    /// Pass as `after` (oldest first) or `before` (newest first) for the next page; nil on the last page.
    public let next: UInt64?
    /// Matching entries beyond this page, counted up to 10,000 (10,000 means that many or
    /// more); nil from a daemon older than newest-first paging.
    public let remaining: Int64?

    public init(entries: [AuditEntryView], next: UInt64?, remaining: Int64?) {
        self.entries = entries
        self.next = next
        self.remaining = remaining
    }
}

/// `GET /v1/audit/raw`: entries as their exact canonical bytes (JSON strings), for export.
public struct AuditRawResponse: Codable, Sendable {
    public let from: UInt64
    public let entries: [String]
}

/// `GET /v1/audit/checkpoints` and `POST /v1/audit/checkpoints`.
public struct CheckpointsResponse: Codable, Sendable {
    public let checkpoints: [SignedCheckpoint]

    public init(checkpoints: [SignedCheckpoint]) {
        self.checkpoints = checkpoints
    }
}

/// `GET /v1/audit/prefix`: the tree state before entry `size`, for a partial export.
public struct PrefixResponse: Codable, Sendable {
    public let size: UInt64
    public let prefix: [String]
    public let previousLeaf: String?

    public init(size: UInt64, prefix: [String], previousLeaf: String?) {
        self.size = size
        self.prefix = prefix
        self.previousLeaf = previousLeaf
    }

    enum CodingKeys: String, CodingKey {
        case size, prefix
        case previousLeaf = "previous_leaf"
    }
}

/// `GET /v1/audit/proofs/inclusion`.
public struct InclusionProofResponse: Codable, Sendable {
    public let seq: UInt64
    public let size: UInt64
    public let leafHash: String
    public let proof: [String]
    public let checkpoint: SignedCheckpoint

    public init(seq: UInt64, size: UInt64, leafHash: String, proof: [String], checkpoint: SignedCheckpoint) {
        self.seq = seq
        self.size = size
        self.leafHash = leafHash
        self.proof = proof
        self.checkpoint = checkpoint
    }

    enum CodingKeys: String, CodingKey {
        case seq, size, proof, checkpoint
        case leafHash = "leaf_hash"
    }
}

/// `GET /v1/audit/proofs/consistency`.
public struct ConsistencyProofResponse: Codable, Sendable {
    public let from: UInt64
    public let to: UInt64
    public let proof: [String]
    public let newCheckpoint: SignedCheckpoint

    public init(from: UInt64, to: UInt64, proof: [String], newCheckpoint: SignedCheckpoint) {
        self.from = from
        self.to = to
        self.proof = proof
        self.newCheckpoint = newCheckpoint
    }

    enum CodingKeys: String, CodingKey {
        case from, to, proof
        case newCheckpoint = "new_checkpoint"
    }
}

/// `GET /v1/audit/summary`.
public struct AuditSummaryResponse: Codable, Sendable {
    public struct User: Codable, Sendable {
        public let user: String
        public let role: String?
        public let reads: Int64
        public let denied: Int64
        public let breakGlass: Int64
        public let extracts: Int64
        public let requests: Int64

        public init(user: String, role: String?, reads: Int64, denied: Int64, breakGlass: Int64, extracts: Int64, requests: Int64) {
            self.user = user
            self.role = role
            self.reads = reads
            self.denied = denied
            self.breakGlass = breakGlass
            self.extracts = extracts
            self.requests = requests
        }

        enum CodingKeys: String, CodingKey {
            case user, role, reads, denied, extracts, requests
            case breakGlass = "break_glass"
        }
    }

    public let since: String?
    public let until: String?
    public let users: [User]

    public init(since: String?, until: String?, users: [User]) {
        self.since = since
        self.until = until
        self.users = users
    }
}
