import HavenAudit

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
