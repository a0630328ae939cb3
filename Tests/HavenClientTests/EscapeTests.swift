import Foundation
import HavenClient
import Testing

/// `HavenClient.escape` keeps RFC 3986's unreserved ASCII and percent-encodes every other
/// byte of the UTF-8, so an id, a name or a query value stays one segment or one value.
@Suite struct EscapeTests {
    static let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    @Test func unreservedASCIIPassesUnchanged() {
        let all = String(decoding: Self.unreserved, as: UTF8.self)
        #expect(HavenClient.escape(all) == all)
        #expect(HavenClient.escape("") == "")
    }

    /// Every other ASCII byte, the controls and DEL included, is %XX in upper-case hex.
    @Test func everyOtherASCIIByteIsEncoded() {
        for byte in UInt8(0)...0x7F where !Self.unreserved.contains(byte) {
            let encoded = HavenClient.escape(String(decoding: [byte], as: UTF8.self))
            #expect(encoded == "%" + String(format: "%02X", byte), "byte \(byte)")
        }
    }

    /// The characters that would end a segment or a value, or start an escape, or a query.
    @Test(arguments: [("/", "%2F"), ("?", "%3F"), ("#", "%23"), ("%", "%25"), ("&", "%26"), ("=", "%3D"), ("+", "%2B"),
                      (" ", "%20"), (":", "%3A"), ("@", "%40"), ("..", ".."), ("a/../b", "a%2F..%2Fb")])
    func delimitersAreEncoded(value: String, expected: String) {
        #expect(HavenClient.escape(value) == expected)
    }

    /// Letters and digits of other scripts are not unreserved: each byte of their UTF-8 is
    /// encoded (Foundation's `alphanumerics` let them through raw).
    @Test(arguments: [("é", "%C3%A9"), ("ນາງ", "%E0%BA%99%E0%BA%B2%E0%BA%87"), ("Nguyễn", "Nguy%E1%BB%85n"),
                      ("٣", "%D9%A3"), ("ǅ", "%C7%85"), ("🙂", "%F0%9F%99%82")])
    func nonASCIIIsEncodedByteByByte(value: String, expected: String) {
        #expect(HavenClient.escape(value) == expected)
    }

    /// What is encoded decodes back to the value, whatever it holds.
    @Test func encodingRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 0...24, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 1...0x1F64F, using: &generator))
            }
            let value = String(String.UnicodeScalarView(scalars))
            let encoded = HavenClient.escape(value)
            #expect(encoded.utf8.allSatisfy { Self.unreserved.contains($0) || $0 == UInt8(ascii: "%") })
            #expect(encoded.removingPercentEncoding == value)
        }
    }
}
