import Foundation
import Glibc
import HavenTestSupport

/// TCP sockets on 127.0.0.1 for the SSH bridge's tests: free ports, a listener that never
/// speaks, and a client that reads what a server says first.
enum LoopbackTCP {
    /// 127.0.0.1:`port` (0: any free port, chosen at bind).
    static func address(port: UInt16 = 0) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }

    /// A TCP socket bound to a free port on 127.0.0.1, and that port.
    static func bound() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        var address = address()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else {
            close(fd)
            throw TestFailure("cannot bind on 127.0.0.1: errno \(errno)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A port on 127.0.0.1 that nothing listened on a moment ago (bound, then closed).
    static func freePort() throws -> Int {
        let (fd, port) = try bound()
        close(fd)
        return Int(port)
    }

    /// A socket listening on a free port of 127.0.0.1 that never accepts or writes: the
    /// kernel completes connections from its queue, and nothing is ever said on them.
    static func silentListener() throws -> (fd: Int32, port: UInt16) {
        let (fd, port) = try bound()
        guard listen(fd, 8) == 0 else {
            close(fd)
            throw TestFailure("cannot listen on 127.0.0.1: errno \(errno)")
        }
        return (fd, port)
    }

    /// Connects to 127.0.0.1:`port` and returns up to 64 bytes read before the far end closes
    /// or 10 s pass; nil if nothing listens.
    static func firstBytes(port: Int) throws -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = address(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &bytes, bytes.count)
        return n > 0 ? Array(bytes.prefix(n)) : []
    }
}
