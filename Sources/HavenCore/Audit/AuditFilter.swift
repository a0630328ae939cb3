/// What an auditor filters the log by (`haven audit log`, `GET /v1/audit`).
///
/// Plain values: the server builds one from a query string without knowing the store, and
/// the store turns it into SQL conditions of its own (`AuditFilter+SQL` in HavenStore).
public struct AuditFilter: Sendable {
    public var user: String?
    /// Only entries of this action (`record.find`, for `haven audit searches`).
    public var action: String?
    public var record: String?
    /// Milliseconds since the epoch, inclusive.
    public var since: Int64?
    /// Milliseconds since the epoch, exclusive.
    public var until: Int64?
    public var deniedOnly = false
    public var breakGlassOnly = false
    /// Leave out sessions opened (one `auth.session` entry per CLI call, crowding out the
    /// rest); failed and refused authentications stay.
    public var withoutSessions = false

    public init() {}
}
