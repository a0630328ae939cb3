import Glibc
import HavenVault

/// The line the SSH bridge (`haven dial-stdio`) writes before anything else on the socket:
/// HAProxy's PROXY protocol, version 1 (haproxy.org, doc/proxy-protocol.txt, section 2.1):
///
///     PROXY TCP4 <src-ip> <dst-ip> <src-port> <dst-port>\r\n
///     PROXY TCP6 <src-ip> <dst-ip> <src-port> <dst-port>\r\n
///     PROXY UNKNOWN[ <anything>]\r\n
///
/// Pure: bytes in, a verdict out. What it yields is only what the bridge REPORTS; any
/// process that can reach the socket can write the same line (`ReportedOrigin`).
enum BridgePreamble {
    /// The longest line the protocol allows, CRLF included: a receiver that has read this
    /// much without a line end knows it is not one (and holds no more than this).
    static let maximumLength = 107

    /// Every preamble starts with these six bytes; no HTTP request does ("PUT", "POST" and
    /// "PATCH" part from it by their second byte).
    static let signature: [UInt8] = Array("PROXY ".utf8)

    /// What the first bytes of a connection are.
    enum Scan: Equatable {
        /// Not a preamble: the bytes are the connection's first request, as they are.
        case notAPreamble
        /// They could still be one: wait for more.
        case needMore
        /// A preamble of `length` bytes (CRLF included), reporting `origin`.
        case preamble(ReportedOrigin, length: Int)
        /// They start as a preamble but are not one (a bad field, no CRLF within the limit).
        case malformed
    }

    /// Looks at the bytes received so far on a new connection. Decides on the first byte
    /// that differs from "PROXY ", so a plain HTTP connection costs a prefix compare.
    static func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Scan {
        var i = bytes.startIndex
        for expected in signature {
            guard i != bytes.endIndex else { return .needMore }
            guard bytes[i] == expected else { return .notAPreamble }
            i = bytes.index(after: i)
        }
        // The line ends at the first LF, which must follow a CR and come within the limit.
        var length = signature.count
        var previous: UInt8 = 0
        while i != bytes.endIndex, length < maximumLength {
            let byte = bytes[i]
            length += 1
            if byte == UInt8(ascii: "\n") {
                guard previous == UInt8(ascii: "\r") else { return .malformed }
                let line = bytes.prefix(length - 2)
                guard let origin = parse(line: Array(line)) else { return .malformed }
                return .preamble(origin, length: length)
            }
            previous = byte
            i = bytes.index(after: i)
        }
        return length >= maximumLength ? .malformed : .needMore
    }

    /// The origin a whole line reports (without its CRLF), or nil if it is not a valid
    /// version 1 line: a single space between fields, addresses of the protocol's family
    /// as `inet_pton` reads them, ports 0 to 65535 in decimal without leading zeros.
    static func parse(line: [UInt8]) -> ReportedOrigin? {
        // Printable ASCII only: the address goes into the audit, and a control byte there
        // could fake a line of `haven audit log`.
        guard line.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard fields.count >= 2, fields[0] == "PROXY" else { return nil }
        let family: Int32
        switch fields[1] {
        case "UNKNOWN":
            // The sender knows no address; the protocol says whatever follows is ignored.
            return .unknown
        case "TCP4": family = AF_INET
        case "TCP6": family = AF_INET6
        default: return nil
        }
        guard fields.count == 6, isAddress(fields[2], family), isAddress(fields[3], family),
              let source = port(fields[4]), port(fields[5]) != nil else { return nil }
        return ReportedOrigin(ip: fields[2], port: source)
    }

    /// Whether `text` is an address of `family` as `inet_pton` reads it (dotted quad
    /// without leading zeros; IPv6 in any of its text forms, with no zone).
    static func isAddress(_ text: String, _ family: Int32) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &buffer) == 1
    }

    /// A port, 0 to 65535, in decimal without a sign or leading zeros.
    static func port(_ text: String) -> UInt16? {
        let digits = Array(text.utf8)
        guard (1...5).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits[0] != UInt8(ascii: "0") else { return nil }
        return UInt16(text)
    }
}
