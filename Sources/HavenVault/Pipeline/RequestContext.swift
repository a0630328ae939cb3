import HavenCore
import NIOCore

/// One request as the vault sees it: who is asking (if the connection has authenticated),
/// from which peer, and the event loop to answer on.
public struct RequestContext: Sendable {
    /// The user the connection authenticated as, as enrolled at that moment. Re-checked
    /// against the directory on every request (revocation is immediate).
    public let session: EnrolledUser?
    public let peer: PeerCredentials
    public let eventLoop: any EventLoop
    /// The connection's share of sessions, asked when it authenticates (nil: no limit, as
    /// for a request that is not a connection's).
    public let admission: (any SessionAdmission)?
    /// Where the SSH bridge said the connection comes from (nil: a local connection). For
    /// the audit only: it is reported, not proven, and decides nothing.
    public let origin: ReportedOrigin?

    public init(session: EnrolledUser?, peer: PeerCredentials, eventLoop: any EventLoop,
                admission: (any SessionAdmission)? = nil, origin: ReportedOrigin? = nil) {
        self.session = session
        self.peer = peer
        self.eventLoop = eventLoop
        self.admission = admission
        self.origin = origin
    }
}
