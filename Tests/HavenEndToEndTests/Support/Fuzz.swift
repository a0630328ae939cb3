import Foundation
import HavenCore

/// A small, seedable generator (SplitMix64), so a failing fuzz case can be replayed from
/// the seed the test prints.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Requests for the hostile-input tests: valid ones to start from, and mutations of them.
enum FuzzCorpus {
    static func request(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
                        extraHeaders: [String] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: haven\r\n"
        for h in extraHeaders { head += h + "\r\n" }
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
        } else if method == "POST" || method == "PATCH" {
            head += "Content-Length: 0\r\n"
        }
        return Array((head + "\r\n").utf8) + Array((body ?? "").utf8)
    }

    /// Valid JSON bodies of every request type, and the paths they go to.
    static func seeds(record: String) -> [(method: String, path: String, body: String?)] {
        [
            ("POST", "/v1/auth/challenge", nil),
            ("POST", "/v1/auth/session", #"{"public_key":"AAAA","signature":"AAAA"}"#),
            ("GET", "/v1/status", nil),
            ("POST", "/v1/records", #"{"type":"gbv_incident","fields":{"incident_type":"rape","survivor_name":"Fuzz"},"assign":["counsellor"]}"#),
            ("GET", "/v1/records?limit=5&after=\(record)", nil),
            ("POST", "/v1/records/\(record)/read", #"{"purpose":"fuzz","fields":["survivor_name"],"break_glass":null}"#),
            ("PATCH", "/v1/records/\(record)", #"{"fields":{"phone":"+856 20 1"}}"#),
            ("POST", "/v1/records/\(record)/assign", #"{"user":"counsellor"}"#),
            ("POST", "/v1/records/\(record)/notes", #"{"class":"incident","text":"fuzz note"}"#),
            ("POST", "/v1/records/\(record)/consent", #"{"flag":"police","action":"grant","evidence":"e","expires":"2031-01-01"}"#),
            ("GET", "/v1/records/\(record)/consent", nil),
            ("POST", "/v1/records/\(record)/extract", #"{"purpose":"p","basis":"court_order","court_order":"O 1","fields":["survivor_name"]}"#),
            ("POST", "/v1/users", #"{"name":"fuzzer","role":"police","agency":"a","public_key":"x","uid":7}"#),
            ("GET", "/v1/users", nil),
            ("GET", "/v1/audit/entries?user=intake&since=2026-01-01&denied=true&limit=3", nil),
            ("GET", "/v1/audit/proofs/inclusion?seq=1", nil),
        ]
    }

    /// A random JSON value, up to `depth` levels, with the awkward cases JSON allows.
    static func json<R: RandomNumberGenerator>(_ r: inout R, depth: Int) -> String {
        switch Int.random(in: 0..<(depth > 0 ? 9 : 6), using: &r) {
        case 0: return "null"
        case 1: return Bool.random(using: &r) ? "true" : "false"
        case 2: return ["0", "-0", "1e400", "-1", "18446744073709551616", "3.14", "1E-7", "9007199254740993"].randomElement(using: &r)!
        case 3: return "\"" + jsonString(&r) + "\""
        case 4: return "\"\""
        case 5: return "\"" + String(repeating: "ນ", count: Int.random(in: 1...200, using: &r)) + "\""
        case 6:
            let n = Int.random(in: 0...4, using: &r)
            return "[" + (0..<n).map { _ in json(&r, depth: depth - 1) }.joined(separator: ",") + "]"
        default:
            let keys = ["type", "fields", "purpose", "flag", "action", "user", "name", "role", "agency", "public_key", "uid",
                        "basis", "court_order", "class", "text", "break_glass", "assign", "evidence", "expires", "signature", "x"]
            let n = Int.random(in: 0...5, using: &r)
            return "{" + (0..<n).map { _ in "\"\(keys.randomElement(using: &r)!)\":" + json(&r, depth: depth - 1) }
                .joined(separator: ",") + "}"
        }
    }

    static func jsonString<R: RandomNumberGenerator>(_ r: inout R) -> String {
        let pieces = ["a", "ນາງ", "Nguyễn", "\\u0000", "\\n", "\\\"", "\\\\", "\\ud800", "\\uDFFF", "<script>", "%00", "../", "'", "\\u001b[31m"]
        return (0..<Int.random(in: 0...6, using: &r)).map { _ in pieces.randomElement(using: &r)! }.joined()
    }

    /// Mutates a request's raw bytes at the HTTP level.
    static func mutateBytes<R: RandomNumberGenerator>(_ bytes: [UInt8], _ r: inout R) -> [UInt8] {
        var b = bytes
        switch Int.random(in: 0..<9, using: &r) {
        case 0:  // flip bytes
            for _ in 0..<Int.random(in: 1...4, using: &r) where !b.isEmpty { b[Int.random(in: 0..<b.count, using: &r)] ^= UInt8.random(in: 1...255, using: &r) }
        case 1:  // insert random bytes
            let at = Int.random(in: 0...b.count, using: &r)
            b.insert(contentsOf: (0..<Int.random(in: 1...16, using: &r)).map { _ in UInt8.random(in: 0...255, using: &r) }, at: at)
        case 2:  // truncate
            b = Array(b.prefix(Int.random(in: 0...b.count, using: &r)))
        case 3:  // delete a range
            if b.count > 2 {
                let start = Int.random(in: 0..<(b.count - 1), using: &r)
                b.removeSubrange(start..<min(b.count, start + Int.random(in: 1...20, using: &r)))
            }
        case 4:  // wrong content length
            let text = String(decoding: b, as: UTF8.self)
            let n = ["0", "1", "99999999999999999999", "-1", "5", "2048", "1048577", "abc"].randomElement(using: &r)!
            b = Array(text.replacingOccurrences(of: #"Content-Length: \d+"#, with: "Content-Length: \(n)", options: .regularExpression).utf8)
        case 5:  // odd method or version
            let text = String(decoding: b, as: UTF8.self)
            let first = text.prefix { $0 != " " }
            let replacement = ["DELETE", "PUT", "OPTIONS", "TRACE", "CONNECT", "GET\u{0}", "POSTX", "get", "HEAD"].randomElement(using: &r)!
            b = Array((replacement + text.dropFirst(first.count)).utf8)
            if Bool.random(using: &r) {
                b = Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: "HTTP/1.1", with: ["HTTP/9.9", "HTTP/1.0", "HTTP/0.9", "XYZ"].randomElement(using: &r)!).utf8)
            }
        case 6:  // duplicated or hostile headers
            let extra = ["Content-Length: 3", "Transfer-Encoding: chunked", "Content-Type: text/plain", "Connection: close",
                         "X-\(String(repeating: "a", count: 3000)): b", "Host: a\u{0}b", "Expect: 100-continue", "Content-Encoding: gzip"]
            if let i = b.firstIndex(of: 0x0A) { b.insert(contentsOf: Array((extra.randomElement(using: &r)! + "\r\n").utf8), at: i + 1) }
        case 7:  // path mutations
            let text = String(decoding: b, as: UTF8.self)
            let paths = ["/v1/records/%00", "/v1/records/../../etc/passwd", "/v1//records", "/v1/records/" + String(repeating: "a", count: 5000),
                         "/v1/records/AAAAAAAAAAAAAAAAAAAAAAAAAA/read", "/v1/records/aaaaaaaaaaaaaaaaaaaaaaaaaa/read?x=%ZZ", "*", "/", "//",
                         "/v1/audit/entries?limit=-1&since=yesterday", "/v1/audit/raw?from=18446744073709551615&limit=99999999",
                         "/v1/audit/proofs/inclusion?seq=999999999", "/v1/audit/proofs/consistency?from=5&to=1"]
            if let sp = text.firstIndex(of: " "), let sp2 = text[text.index(after: sp)...].firstIndex(of: " ") {
                b = Array((String(text[...sp]) + paths.randomElement(using: &r)! + String(text[sp2...])).utf8)
            }
        default:  // chunked body with broken sizes
            let text = String(decoding: b, as: UTF8.self)
            let head = text.components(separatedBy: "\r\n\r\n").first ?? text
            let cleaned = head.split(separator: "\r\n").filter { !$0.lowercased().hasPrefix("content-length") }.joined(separator: "\r\n")
            let chunks = ["5\r\nhello\r\n0\r\n\r\n", "zz\r\nx\r\n", "FFFFFFFFFFFFFFFF\r\nx", "3\r\nabcdef\r\n0\r\n\r\n", "0\r\n\r\n"]
            b = Array((cleaned + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks.randomElement(using: &r)!).utf8)
        }
        return b
    }
}
