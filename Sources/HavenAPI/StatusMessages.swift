import HavenCore

/// `GET /v1/status`, beyond who the connection is: the audit log's head as the writer has
/// committed it.
public struct AuditLogHead: Codable, Sendable, Equatable {
    /// Entries committed.
    public let size: UInt64
    /// The latest signed checkpoint's size and time, if the log has one.
    public let checkpointSize: UInt64?
    public let checkpointTime: String?

    public init(size: UInt64, checkpointSize: UInt64?, checkpointTime: String?) {
        self.size = size
        self.checkpointSize = checkpointSize
        self.checkpointTime = checkpointTime
    }

    enum CodingKeys: String, CodingKey {
        case size
        case checkpointSize = "checkpoint_size"
        case checkpointTime = "checkpoint_time"
    }
}

/// `GET /v1/status`: the anchor (`havend --anchor`) as the daemon keeps it. `state` is
/// `none` (no anchor configured), `ok`, or `failing` (the last write failed: changes are
/// refused with `anchor_unavailable` until it succeeds; `error` says why).
public struct AnchorHealth: Codable, Sendable, Equatable {
    public let configured: Bool
    public let state: String
    public let file: String?
    /// The size of the checkpoint the file holds (compare with `audit_log.checkpoint_size`).
    public let size: UInt64?
    public let writtenAt: String?
    public let error: String?

    public init(configured: Bool, state: String, file: String? = nil, size: UInt64? = nil, writtenAt: String? = nil,
                error: String? = nil) {
        self.configured = configured
        self.state = state
        self.file = file
        self.size = size
        self.writtenAt = writtenAt
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case configured, state, file, size, error
        case writtenAt = "written_at"
    }
}
