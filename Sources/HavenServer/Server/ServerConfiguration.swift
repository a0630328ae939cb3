import NIOCore

/// Limits of the socket front (SECURITY.md, "limits"); every one protects the daemon from
/// a client that would otherwise hold its memory or its connections.
public struct ServerConfiguration: Sendable {
    /// Largest request body; a bigger one is refused with 413 before it is read.
    public var maximumBodyBytes = 1 << 20
    /// Largest total size of a request's headers (431 above it), and of any one header.
    public var maximumHeaderBytes = 16 * 1024
    public var maximumHeaderCount = 100
    /// Open connections at most; more are closed at once.
    public var maximumConnections = 4096
    /// Connections not yet authenticated, per peer uid and in all; more are closed at once.
    /// Why per uid: every member of the socket's group may connect, and without a share of
    /// their own one of them could hold every slot with idle sockets and lock the others out.
    public var maximumUnauthenticatedPerUid = 64
    public var maximumUnauthenticated = 512
    /// Authenticated connections of one user at most, whatever their role: one enrolled
    /// user (even the analyst) must not hold the connections everyone else needs. Twice
    /// the 64 a load client keeps open, so one whose old connections are still closing fits.
    public var maximumSessionsPerUser = 128
    /// Authenticated connections from one peer uid at most, for ordinary roles (a Unix
    /// account shared by several users, or one person enrolled under several names): about
    /// half of the connections, so one account never holds them all, while a front serving
    /// a thousand users from one account (`haven-bench socket`'s finders) still fits.
    public var maximumSessionsPerUid = 2048
    /// The last connections of `maximumConnections`, kept for sessions of roles that manage
    /// users or keys and for unauthenticated requests (a sealed vault's custodians): ordinary
    /// sessions stop short of them (`ordinarySessions`).
    public var reservedConnections = 64
    /// An authenticated connection with no traffic for this long is closed.
    public var idleTimeout = TimeAmount.seconds(120)
    /// A connection that has not authenticated is closed after this long without traffic,
    /// so idle sockets cannot hold the connection slots real clients need.
    public var unauthenticatedIdleTimeout = TimeAmount.seconds(10)
    /// A request whose head arrived must be complete within this (a body that never ends).
    public var requestTimeout = TimeAmount.seconds(30)
    /// Event-loop threads; one per core by default.
    public var threads = System.coreCount

    /// Sessions of ordinary roles in all: what is left once the unauthenticated connections
    /// and the reserved ones are set aside, so that neither kind can be crowded out by them.
    public var ordinarySessions: Int {
        maximumConnections - maximumUnauthenticated - reservedConnections
    }

        public init() {}
}
