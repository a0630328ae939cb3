@testable import HavenServer
import HavenVault
import Testing

/// The bridge's preamble as the parser reads it: HAProxy PROXY v1, only as a connection's
/// first bytes, whole or in pieces, never more than 107 bytes.
@Suite struct BridgePreambleTests {
    private func scan(_ text: String) -> BridgePreamble.Scan {
        BridgePreamble.scan(Array(text.utf8))
    }

    @Test func aTCP4LineReportsItsSourceAddressAndPort() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        #expect(scan(line) == .preamble(ReportedOrigin(ip: "192.0.2.7", port: 50022), length: line.utf8.count))
        #expect(ReportedOrigin(ip: "192.0.2.7", port: 50022).reportedFrom == "192.0.2.7 port 50022")
    }

    @Test func aTCP6LineReportsItsSourceAddressAndPort() {
        for (source, line) in [("2001:db8::1", "PROXY TCP6 2001:db8::1 2001:db8::2 40000 22\r\n"),
                               ("::1", "PROXY TCP6 ::1 ::1 0 65535\r\n"),
                               ("::ffff:192.0.2.7", "PROXY TCP6 ::ffff:192.0.2.7 ::1 1 22\r\n")] {
            guard case .preamble(let origin, let length) = scan(line) else { Issue.record("refused: \(line)"); continue }
            #expect(origin.address?.ip == source)
            #expect(length == line.utf8.count)
        }
    }

    @Test func anUnknownLineReportsNoAddress() {
        #expect(scan("PROXY UNKNOWN\r\n") == .preamble(.unknown, length: 15))
        // The protocol says a receiver ignores whatever follows UNKNOWN on its line.
        let padded = "PROXY UNKNOWN ffff::1 ffff::1 1 2\r\n"
        #expect(scan(padded) == .preamble(.unknown, length: padded.utf8.count))
        #expect(ReportedOrigin.unknown.reportedFrom == "unknown")
    }

    @Test func theBytesAfterTheLineAreNotPartOfIt() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        #expect(scan(line + "POST /v1/auth/challenge HTTP/1.1\r\n\r\n") == .preamble(ReportedOrigin(ip: "192.0.2.7", port: 50022),
                                                                                      length: line.utf8.count))
    }

    @Test func aLineSplitAnywhereWaitsForTheRest() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        let bytes = Array(line.utf8)
        for cut in 0..<bytes.count {
            #expect(BridgePreamble.scan(bytes[0..<cut]) == .needMore, "after \(cut) bytes")
        }
        #expect(BridgePreamble.scan(bytes[...]) == .preamble(ReportedOrigin(ip: "192.0.2.7", port: 50022), length: bytes.count))
    }

    @Test func aFirstReadOfPlainHTTPIsPassedOnAtItsFirstDifferentByte() {
        for request in ["GET /v1/health HTTP/1.1\r\n", "POST /v1/auth/challenge HTTP/1.1\r\n", "PUT /x HTTP/1.1\r\n",
                        "PATCH /x HTTP/1.1\r\n", "PROXYX", "proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n", "\r\n", "PR\0"] {
            #expect(scan(request) == .notAPreamble, "\(request.debugDescription)")
        }
        // Bytes that could still begin "PROXY " are held: "P" may be a PUT as well as a preamble.
        for start in ["P", "PR", "PROX", "PROXY"] { #expect(scan(start) == .needMore, "\(start)") }
        #expect(scan("") == .needMore)
    }

    @Test func theLongestLineIsAcceptedAndOneByteMoreIsNot() {
        // 107 bytes with the CRLF: the protocol's own worst case (two full IPv6 addresses).
        let longest = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"
        #expect(longest.utf8.count == 104)
        #expect(scan(longest) == .preamble(ReportedOrigin(ip: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", port: 65535), length: 104))
        let padded = "PROXY UNKNOWN " + String(repeating: "x", count: 107 - 16) + "\r\n"
        #expect(padded.utf8.count == 107)
        #expect(scan(padded) == .preamble(.unknown, length: 107))
        let over = "PROXY UNKNOWN " + String(repeating: "x", count: 107 - 15) + "\r\n"
        #expect(scan(over) == .malformed)
        // Without a line end, 107 bytes are enough to know.
        #expect(scan("PROXY " + String(repeating: "1", count: 101)) == .malformed)
        #expect(scan("PROXY " + String(repeating: "1", count: 100)) == .needMore)
    }

    @Test(arguments: [
        "PROXY \r\n",
        "PROXY TCP4\r\n",
        "PROXY TCP5 192.0.2.7 198.51.100.1 50022 22\r\n",
        "PROXY tcp4 192.0.2.7 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22 extra\r\n",
        "PROXY TCP4  192.0.2.7 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22 \r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\r\n",
        "PROXY TCP4 999.0.2.7 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 192.0.2 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 192.0.02.7 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 2001:db8::1 198.51.100.1 50022 22\r\n",
        "PROXY TCP6 192.0.2.7 2001:db8::2 50022 22\r\n",
        "PROXY TCP6 2001:db8::1%eth0 2001:db8::2 50022 22\r\n",
        "PROXY TCP6 2001:db8:::1 2001:db8::2 50022 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 65536 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 -1 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 +22 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 022 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 50022 port\r\n",
        "PROXY TCP4 192.0.2.7\u{1B}[2J 198.51.100.1 50022 22\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 5002\u{0}2 22\r\n",
        "PROXY UNKNOWN\u{7F}\r\n",
    ])
    func aLineThatStartsAsAPreambleButIsNotOneIsMalformed(_ line: String) {
        #expect(scan(line) == .malformed)
    }

    @Test func portsAreDecimalFromZeroTo65535() {
        #expect(BridgePreamble.port("0") == 0)
        #expect(BridgePreamble.port("65535") == 65535)
        for bad in ["", "00", "65536", "99999", "123456", "1e3", " 1", "0x10"] { #expect(BridgePreamble.port(bad) == nil, "\(bad)") }
    }
}
