import HavenAudit
import HavenCore
import NIOCore

/// The socket peer of a connection, from SO_PEERCRED: fixed by the kernel at connect time.
public struct PeerCredentials: Sendable, Equatable {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    public var auditPeer: AuditEvent.Peer { AuditEvent.Peer(uid: uid, pid: pid) }
}

/// One request as the vault sees it: who is asking (if the connection has authenticated),
/// from which peer, and the event loop to answer on.
public struct RequestContext: Sendable {
    /// The user the connection authenticated as, as enrolled at that moment. Re-checked
    /// against the directory on every request (revocation is immediate).
    public let session: EnrolledUser?
    public let peer: PeerCredentials
    public let eventLoop: any EventLoop

    public init(session: EnrolledUser?, peer: PeerCredentials, eventLoop: any EventLoop) {
        self.session = session
        self.peer = peer
        self.eventLoop = eventLoop
    }
}
