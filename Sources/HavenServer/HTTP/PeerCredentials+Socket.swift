import Glibc
import HavenVault
import NIOCore

/// `struct ucred` from <sys/socket.h>; Swift does not import it, so its layout is spelled
/// out: pid, uid, gid (12 bytes).
struct UCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

extension PeerCredentials {
    /// Asks the kernel who is on the other end of a Unix socket (SO_PEERCRED). The answer
    /// is fixed at connect time and cannot be forged by the peer.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(HavenPeerError.unavailable)
        }
        let future: EventLoopFuture<UCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid) }
    }
}

enum HavenPeerError: Error {
    case unavailable
}
