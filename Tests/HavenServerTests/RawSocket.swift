import Foundation
import Glibc
import HavenTestSupport

/// A plain blocking connection to havend's socket that writes exactly the bytes it is
/// given, as `haven dial-stdio` does, and reads answers off the wire. Every read gives up
/// after 20 s, so a daemon that never answers fails the test instead of hanging it.
final class RawSocket {
    private let fd: Int32
    /// Bytes read past the end of the last answer.
    private var pending = [UInt8]()

    /// An answer: its status and JSON body.
    struct Answer {
        let status: Int
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The `error.code` of an error answer.
        var code: String? {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])
                .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
        }
    }

    init(_ path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8.prefix(raw.count - 1)) + [0])
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TestFailure("connect \(path): \(errno)")
        }
    }

    deinit { close(fd) }

    /// The socket itself, to shut one side of it.
    var descriptor: Int32 { fd }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send: \(errno)") }
            offset += n
        }
    }

    /// A request as the client writes it: JSON body, and the length it declares.
    static func request(_ method: String, _ path: String, body: String? = nil) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nhost: localhost\r\n"
        if let body { text += "content-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)" } else {
            text += "content-length: 0\r\n\r\n"
        }
        return text
    }

    /// Reads one answer (status line, headers, a body of its content-length).
    func answer() throws -> Answer {
        let end = Array("\r\n\r\n".utf8)
        while firstRange(of: end) == nil { try fill() }
        let headEnd = firstRange(of: end)!
        let head = String(decoding: pending[0..<headEnd], as: UTF8.self)
        pending.removeFirst(headEnd + 4)
        let lines = head.components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw TestFailure("not an HTTP answer: \(head)")
        }
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        while pending.count < length { try fill() }
        let body = Array(pending[0..<length])
        pending.removeFirst(length)
        return Answer(status: status, body: body)
    }

    /// Whether the daemon closed the connection (a read finds its end), with nothing unread.
    func isClosedByPeer() throws -> Bool {
        guard pending.isEmpty else { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        guard n >= 0 else { throw TestFailure("recv: \(errno)") }
        return n == 0
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw TestFailure(n == 0 ? "the daemon closed the connection" : "recv: \(errno)") }
        pending += chunk[0..<n]
    }

    private func firstRange(of needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        return (0...(pending.count - needle.count)).first { pending[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
