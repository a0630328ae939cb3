import HavenClient
import Testing

/// The line dial-stdio writes before any client byte: PROXY protocol v1, rebuilt from the
/// parsed SSH_CONNECTION, or `PROXY UNKNOWN` for anything not of its shape.
@Suite struct BridgePreambleTests {
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
}
