import Foundation
import Glibc
import HavenSystem

/// A keep-alive HTTP/1.1 connection to haven-web over loopback TCP, blocking, one request
/// in flight: what one browser tab does. Answers are framed by `content-length` or chunked
/// encoding; a page's bytes are kept only when asked for (sign-in, the invitation).
final class WebConnection {
    let fd: Int32
    let host: String
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0

    /// One answer: status, headers (names in lower case) and, when kept, the body.
    struct Answer {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        let bodyBytes: Int

        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    init(port: UInt16) throws {
        host = "127.0.0.1:\(port)"
        fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let e = errno
            Glibc.close(fd)
            throw BenchFailure("connect(\(host)): errno \(e)")
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { Glibc.close(fd) }

    /// The bytes of one request as a browser on this desk sends it: its Host, and for a
    /// form its Origin and urlencoded body.
    func request(_ method: String, _ path: String, cookie: String? = nil, form: [(String, String)]? = nil) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: text/html\r\nAccept-Language: en\r\n"
        if let cookie { head += "Cookie: \(cookie)\r\n" }
        guard let form else { return Array((head + (method == "GET" ? "\r\n" : "Content-Length: 0\r\n\r\n")).utf8) }
        let body = Self.urlencoded(form)
        head += "Origin: http://\(host)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }

    static func urlencoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// Sends one request and waits for its whole answer.
    func exchange(_ bytes: [UInt8], keepBody: Bool = false) throws -> Answer {
        var sent = 0
        while sent < bytes.count {
            do {
                sent += try systemCall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + sent, $0.count - sent) } }
            } catch {
                throw BenchFailure("write(): errno \(error.code)")
            }
        }
        return try answer(keepBody: keepBody)
    }

    private func fill() throws {
        if start == end { start = 0; end = 0 }
        if buffer.count - end < 4096 {
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                start = 0
            }
            if buffer.count - end < 4096 { buffer += [UInt8](repeating: 0, count: buffer.count) }
        }
        let n: Int
        do {
            n = try systemCall("read") { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + end, $0.count - end) } }
        } catch {
            throw BenchFailure("read(): errno \(error.code)")
        }
        guard n > 0 else { throw BenchFailure("haven-web closed the connection") }
        end += n
    }

    /// The bytes up to and including the next CRLF, as a string without it.
    private func line() throws -> String {
        while true {
            if let i = buffer[start..<end].firstIndex(of: 0x0A) {
                let text = String(decoding: buffer[start..<i], as: UTF8.self)
                start = i + 1
                return text.hasSuffix("\r") ? String(text.dropLast()) : text
            }
            try fill()
        }
    }

    private func take(_ count: Int, into body: inout [UInt8], keep: Bool) throws {
        var left = count
        while left > 0 {
            if start == end { try fill() }
            let n = min(left, end - start)
            if keep { body += buffer[start..<(start + n)] }
            start += n
            left -= n
        }
    }

    private func answer(keepBody: Bool) throws -> Answer {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw BenchFailure("not an HTTP answer: \(statusLine.prefix(80))") }
        var headers = [(name: String, value: String)]()
        while true {
            let l = try line()
            if l.isEmpty { break }
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers.append((l[..<colon].lowercased(), l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = [UInt8]()
        var size = 0
        if headers.contains(where: { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            while true {
                let sizeLine = try line()
                guard let chunk = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw BenchFailure("bad chunk size: \(sizeLine.prefix(40))")
                }
                if chunk == 0 {
                    while try !line().isEmpty {}
                    break
                }
                try take(chunk, into: &body, keep: keepBody)
                size += chunk
                _ = try line()
            }
        } else {
            let length = Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
            try take(length, into: &body, keep: keepBody)
            size = length
        }
        return Answer(status: status, headers: headers, body: body, bodyBytes: size)
    }
}
