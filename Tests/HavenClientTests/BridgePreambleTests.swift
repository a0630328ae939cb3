@testable import HavenAPI
import Testing

/// The bridge's preamble, HAProxy PROXY v1: the line dial-stdio writes (rebuilt from the
/// parsed SSH_CONNECTION, or `PROXY UNKNOWN` for anything not of its shape) and havend's
/// reading of it (only as a connection's first bytes, whole or in pieces, never more than
/// 107 bytes); and every line the one writes, the other reads back to the same source.
@Suite struct BridgePreambleTests {
    private func scan(_ text: String) -> BridgePreamble.Scan {
        BridgePreamble.scan(Array(text.utf8))
    }

    // MARK: Writing

    @Test func anIPv4ConnectionIsTCP4() {
        #expect(BridgePreamble.line(sshConnection: "192.0.2.10 51234 192.0.2.1 22") == "PROXY TCP4 192.0.2.10 192.0.2.1 51234 22\r\n")
    }

    @Test func anIPv6ConnectionIsTCP6InCanonicalForm() {
        #expect(BridgePreamble.line(sshConnection: "2001:db8:0:0:0:0:0:7 40000 ::1 2222") == "PROXY TCP6 2001:db8::7 ::1 40000 2222\r\n")
    }

    @Test(arguments: [
        nil, "", "192.0.2.10 51234 192.0.2.1", "192.0.2.10 51234 192.0.2.1 22 extra", "192.0.2.10  51234 192.0.2.1 22",
        "192.0.2.10 65536 192.0.2.1 22", "192.0.2.10 -1 192.0.2.1 22", "192.0.2.10 0x16 192.0.2.1 22",
        "192.0.2.10 51234 ::1 22",                       // mixed families
        "192.0.2.300 51234 192.0.2.1 22", "vault 51234 192.0.2.1 22",
        "192.0.2.10\r\nGET / HTTP/1.1\r\n 1 192.0.2.1 22", // a line break smuggled in
        "fe80::1%eth0 51234 fe80::2%eth0 22",
        String(repeating: "1", count: 200) + " 1 192.0.2.1 22",
    ] as [String?])
    func anythingElseIsUnknown(_ value: String?) {
        #expect(BridgePreamble.line(sshConnection: value) == "PROXY UNKNOWN\r\n")
    }

    /// The protocol's bound: 107 bytes with its CRLF, met by the longest addresses.
    @Test func theLongestLineFitsTheProtocolsBound() {
        let v6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        let line = BridgePreamble.line(sshConnection: "\(v6) 65535 \(v6) 65535")
        #expect(line.hasPrefix("PROXY TCP6 "))
        #expect(line.utf8.count <= 107)
    }

    // MARK: Reading

    @Test func aTCP4LineReportsItsSourceAddressAndPort() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        #expect(scan(line) == .preamble(.address(ip: "192.0.2.7", port: 50022), length: line.utf8.count))
    }

    @Test func aTCP6LineReportsItsSourceAddressAndPort() {
        for (source, port, line) in [("2001:db8::1", 40000, "PROXY TCP6 2001:db8::1 2001:db8::2 40000 22\r\n"),
                                     ("::1", 0, "PROXY TCP6 ::1 ::1 0 65535\r\n"),
                                     ("::ffff:192.0.2.7", 1, "PROXY TCP6 ::ffff:192.0.2.7 ::1 1 22\r\n")] as [(String, UInt16, String)] {
            #expect(scan(line) == .preamble(.address(ip: source, port: port), length: line.utf8.count), "\(line)")
        }
    }

    @Test func anUnknownLineReportsNoAddress() {
        #expect(scan("PROXY UNKNOWN\r\n") == .preamble(.unknown, length: 15))
        // The protocol says a receiver ignores whatever follows UNKNOWN on its line.
        let padded = "PROXY UNKNOWN ffff::1 ffff::1 1 2\r\n"
        #expect(scan(padded) == .preamble(.unknown, length: padded.utf8.count))
    }

    @Test func theBytesAfterTheLineAreNotPartOfIt() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        #expect(scan(line + "POST /v1/auth/challenge HTTP/1.1\r\n\r\n") == .preamble(.address(ip: "192.0.2.7", port: 50022),
                                                                                      length: line.utf8.count))
    }

    @Test func aLineSplitAnywhereWaitsForTheRest() {
        let line = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"
        let bytes = Array(line.utf8)
        for cut in 0..<bytes.count {
            #expect(BridgePreamble.scan(bytes[0..<cut]) == .needMore, "after \(cut) bytes")
        }
        #expect(BridgePreamble.scan(bytes[...]) == .preamble(.address(ip: "192.0.2.7", port: 50022), length: bytes.count))
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
        #expect(scan(longest) == .preamble(.address(ip: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", port: 65535), length: 104))
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

    // MARK: Both ends

    /// Whatever SSH_CONNECTION says, havend reads dial-stdio's line as a preamble of its
    /// whole length reporting the client's address (in canonical form) and port, or, for
    /// a value not of its shape, no address.
    @Test(arguments: [
        ("192.0.2.10 51234 192.0.2.1 22", BridgePreamble.Source.address(ip: "192.0.2.10", port: 51234)),
        ("0.0.0.0 0 255.255.255.255 65535", .address(ip: "0.0.0.0", port: 0)),
        ("2001:db8:0:0:0:0:0:7 40000 ::1 2222", .address(ip: "2001:db8::7", port: 40000)),
        ("::ffff:192.0.2.7 1 ::1 22", .address(ip: "::ffff:192.0.2.7", port: 1)),
        ("FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF 65535 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535",
         .address(ip: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", port: 65535)),
        ("192.0.2.10 51234 ::1 22", .unknown),
        ("192.0.2.10 022 192.0.2.1 22", .unknown),
        ("fe80::1%eth0 51234 fe80::2%eth0 22", .unknown),
        ("192.0.2.10\r\nGET / HTTP/1.1\r\n 1 192.0.2.1 22", .unknown),
        ("", .unknown),
    ] as [(String, BridgePreamble.Source)])
    func everyLineTheWriterMakesIsReadBackToItsSource(_ sshConnection: String, _ source: BridgePreamble.Source) {
        let line = BridgePreamble.line(sshConnection: sshConnection)
        #expect(scan(line) == .preamble(source, length: line.utf8.count), "\(line.debugDescription)")
        // With the first request behind it, as dial-stdio sends it.
        #expect(scan(line + "GET /v1/health HTTP/1.1\r\n\r\n") == .preamble(source, length: line.utf8.count))
    }
}
