import Foundation
import Glibc
import HavenTestSupport

/// An answer of the desk as it came over the wire.
struct WebResponse: Sendable {
    let status: Int
    /// Header names lowercased, in order (Set-Cookie may repeat).
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    func all(_ name: String) -> [String] { headers.filter { $0.name == name.lowercased() }.map(\.value) }
    /// The value the answer's Set-Cookie gives `cookie` ("" when it expires it), nil if none.
    func setCookie(_ cookie: String) -> String? {
        for line in all("set-cookie") where line.hasPrefix(cookie + "=") {
            let value = line.dropFirst(cookie.count + 1).prefix { $0 != ";" }
            return line.contains("Max-Age=0") ? "" : String(value)
        }
        return nil
    }
}

/// A plain HTTP/1.1 client over a TCP socket of 127.0.0.1: every header as the test
/// writes it (a wrong Host, another site's Origin), one request per connection.
enum WebHTTP {
    static func send(port: Int, method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = [],
                     host: String? = nil) throws -> WebResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = LoopbackTCP.address(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw TestFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var limit = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }  // the server may answer (413) and close before reading it all
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return try parse(received)
    }

    static func parse(_ bytes: [UInt8]) throws -> WebResponse {
        guard let end = bytes.indices.first(where: { i in i + 3 < bytes.count && bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 }) else {
            throw TestFailure("no HTTP answer (\(bytes.count) bytes)")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(lines[0])") }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return WebResponse(status: status, headers: headers, body: Array(bytes[(end + 4)...]))
    }

    /// `application/x-www-form-urlencoded` of `fields`.
    static func form(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return Array(fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&").utf8)
    }
}

/// A browser's part the tests need: its cookies for the desk, Origin on every POST, and
/// the form token read from the last page.
final class WebBrowser: @unchecked Sendable {
    let port: Int
    var cookies: [String: String] = [:]
    var lastPage = ""

    init(port: Int) { self.port = port }

    var origin: String { "http://127.0.0.1:\(port)" }
    var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    /// The page's form token (`name="_csrf" value="…"`).
    var csrf: String? {
        guard let r = lastPage.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(lastPage[r.upperBound...].prefix { $0 != "\"" })
    }

    @discardableResult
    func get(_ path: String, headers: [(String, String)] = []) throws -> WebResponse {
        let r = try WebHTTP.send(port: port, method: "GET", path: path, headers: cookieHeaders + headers)
        take(r)
        return r
    }

    /// A POST as the desk's own page sends it: Origin, cookies, and the page's form token.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil, headers: [(String, String)]? = nil) throws -> WebResponse {
        var all = fields
        if let token = csrf ?? self.csrf { all.insert(("_csrf", token), at: 0) }
        let r = try WebHTTP.send(port: port, method: "POST", path: path,
                                 headers: cookieHeaders + (headers ?? [("Origin", origin)]) + [("Content-Type", "application/x-www-form-urlencoded")],
                                 body: WebHTTP.form(all))
        take(r)
        return r
    }

    private var cookieHeaders: [(String, String)] { cookies.isEmpty ? [] : [("Cookie", cookieHeader)] }

    private func take(_ r: WebResponse) {
        for line in r.all("set-cookie") {
            let pair = line.prefix { $0 != ";" }
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            if line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if r.status == 200 || r.status >= 400 { lastPage = r.text }
    }
}
