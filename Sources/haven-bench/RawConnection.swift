import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import HavenSystem

/// A keep-alive HTTP/1.1 connection to havend's socket with no event loop, no futures and
/// no header dictionaries: requests are bytes written with one `write`, answers are framed by
/// their `content-length` in one reused buffer. It costs the client a few microseconds per
/// request, so a load run on the same two cores measures the daemon, not the client.
final class RawConnection {
    let fd: Int32
    /// Bytes read; `start..<end` not yet consumed by an answer.
    private var buffer = [UInt8](repeating: 0, count: 1 << 18)
    private var start = 0
    private var end = 0

    /// One answer: its status and its body (a copy only when asked for).
    struct Answer {
        let status: Int
        let body: [UInt8]
    }

    init(socket path: String) throws {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw BenchFailure("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let e = errno
            Glibc.close(fd)
            throw BenchFailure("connect(\(path)): errno \(e)")
        }
    }

    deinit { Glibc.close(fd) }

    /// The bytes of one request: its head, and its body when it has one.
    static func request(_ method: String, _ path: String, body: [UInt8]? = nil) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nhost: haven\r\n"
        if let body {
            head += "content-type: application/json\r\ncontent-length: \(body.count)\r\n\r\n"
            return Array(head.utf8) + body
        }
        head += method == "GET" ? "\r\n" : "content-length: 0\r\n\r\n"
        return Array(head.utf8)
    }

    /// Writes all of `bytes`. A connection has one request in flight at a time, far smaller
    /// than the socket's buffer, so even a non-blocking socket takes it whole.
    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            do {
                sent += try systemCall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, $0.count - sent) } }
            } catch {
                throw BenchFailure("write(): errno \(error.code)")
            }
        }
    }

    /// Reads what the socket has (blocking until at least one byte, unless the socket is
    /// non-blocking), then returns a complete answer if the buffer now holds one. `keepBody`:
    /// copy the body out (the handshake, and any failure).
    func receive(keepBody: Bool = false) throws -> Answer? {
        if let answer = try frame(keepBody: keepBody) { return answer }
        if start == end {
            start = 0
            end = 0
        } else if buffer.count - end < (1 << 15) {
            let pending = end - start
            buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: pending) }
            start = 0
            end = pending
            if buffer.count - end < (1 << 15) { buffer += [UInt8](repeating: 0, count: buffer.count) }
        }
        let n: Int
        do {
            n = try systemCall("read") { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + end, $0.count - end) } }
        } catch {
            if error.code == EAGAIN { return nil }
            throw BenchFailure("read(): errno \(error.code)")
        }
        if n == 0 { throw BenchFailure("havend closed the connection") }
        end += n
        return try frame(keepBody: keepBody)
    }

    /// Blocks until the answer to the request just sent has arrived.
    func answer(keepBody: Bool = false) throws -> Answer {
        while true {
            if let a = try receive(keepBody: keepBody) { return a }
        }
    }

    /// An answer framed from the buffer, if it holds a whole one.
    private func frame(keepBody: Bool) throws -> Answer? {
        try buffer.withUnsafeBufferPointer { all -> Answer? in
            let b = UnsafeBufferPointer(rebasing: all[start..<end])
            guard b.count >= 16, let bodyStart = Self.headEnd(b) else { return nil }
            guard b[9] >= 0x30, b[9] <= 0x39 else { throw BenchFailure("not an HTTP answer") }
            let status = Int(b[9] - 0x30) * 100 + Int(b[10] - 0x30) * 10 + Int(b[11] - 0x30)
            let length = Self.contentLength(UnsafeBufferPointer(rebasing: b[..<bodyStart]))
            guard b.count >= bodyStart + length else { return nil }
            let body = keepBody || !(200..<300).contains(status) ? Array(b[bodyStart..<(bodyStart + length)]) : []
            start += bodyStart + length
            return Answer(status: status, body: body)
        }
    }

    /// Index just past the blank line ending the head, if it has arrived.
    private static func headEnd(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 3
        while i < b.count {
            if b[i] == 0x0A && b[i - 1] == 0x0D && b[i - 2] == 0x0A && b[i - 3] == 0x0D { return i + 1 }
            i += 1
        }
        return nil
    }

    /// The value of `content-length` (any case), 0 when absent.
    private static func contentLength(_ head: UnsafeBufferPointer<UInt8>) -> Int {
        let name = Array("content-length:".utf8)
        var i = 0
        outer: while i + name.count < head.count {
            // Headers start after a newline.
            if head[i] == 0x0A {
                for (k, c) in name.enumerated() where head[i + 1 + k] | 0x20 != c { i += 1; continue outer }
                var j = i + 1 + name.count
                var value = 0
                while j < head.count, head[j] == 0x20 { j += 1 }
                while j < head.count, head[j] >= 0x30, head[j] <= 0x39 {
                    value = value * 10 + Int(head[j] - 0x30)
                    j += 1
                }
                return value
            }
            i += 1
        }
        return 0
    }

    /// The handshake of FORMAT.md ("authentication"), as `HavenClient` does it.
    func authenticate(_ key: SigningKey) throws {
        try send(Self.request("POST", "/v1/auth/challenge"))
        let c = try answer(keepBody: true)
        guard c.status == 200 else { throw BenchFailure("challenge answered \(c.status)") }
        let challenge = try JSONDecoder().decode(ChallengeResponse.self, from: Data(c.body))
        let publicKey = Base64.encode(key.publicKey.bytes)
        let transcript = AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: getuid(), pid: getpid(),
                                              publicKey: publicKey)
        let body = try JSONEncoder().encode(SessionRequest(publicKey: publicKey, signature: Base64.encode(key.sign(transcript))))
        try send(Self.request("POST", "/v1/auth/session", body: Array(body)))
        let s = try answer(keepBody: true)
        guard s.status == 200 else { throw BenchFailure("session answered \(s.status): \(String(decoding: s.body, as: UTF8.self))") }
    }
}
