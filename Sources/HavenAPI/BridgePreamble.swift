import Glibc

/// The one line the SSH bridge (`haven dial-stdio`) writes to havend before any byte of the
/// client's, and havend reads off a new connection: HAProxy's PROXY protocol, version 1
/// (haproxy.org, doc/proxy-protocol.txt, section 2.1):
///
///     PROXY TCP4 <src-ip> <dst-ip> <src-port> <dst-port>\r\n
///     PROXY TCP6 <src-ip> <dst-ip> <src-port> <dst-port>\r\n
///     PROXY UNKNOWN[ <anything>]\r\n
///
/// Writer and parser in one place, so the two ends cannot drift apart. Pure: text in, text
/// or a verdict out. What a line carries is REPORTED, not proven: any process that can reach
/// the socket can write the same line, so havend only ever puts it in the audit.
public enum BridgePreamble {
    /// The longest line the protocol allows, CRLF included: a receiver that has read this
    /// much without a line end knows it is not one (and holds no more than this).
    public static let maximumLength = 107

    /// Every preamble starts with these six bytes; no HTTP request does ("PUT", "POST" and
    /// "PATCH" part from it by their second byte).
    public static let signature: [UInt8] = Array("PROXY ".utf8)

    /// The line of a bridge that knows no address.
    public static let unknown = "PROXY UNKNOWN\r\n"

    /// Where a preamble says the SSH connection came from.
    public enum Source: Sendable, Equatable {
        /// The client's address and port, as the bridge reported them (a checked IP address).
        case address(ip: String, port: UInt16)
        /// The bridge had no address to report.
        case unknown
    }

    /// What the first bytes of a connection are.
    public enum Scan: Sendable, Equatable {
        /// Not a preamble: the bytes are the connection's first request, as they are.
        case notAPreamble
        /// They could still be one: wait for more.
        case needMore
        /// A preamble of `length` bytes (CRLF included), reporting `source`.
        case preamble(Source, length: Int)
        /// They start as a preamble but are not one (a bad field, no CRLF within the limit).
        case malformed
    }

    // MARK: Writing (dial-stdio)

    /// The line for `SSH_CONNECTION` ("client_ip client_port server_ip server_port"), or
    /// `PROXY UNKNOWN` when it is absent or not of that shape. Rebuilt from parsed numbers,
    /// never copied from the environment, so a hostile SSH_CONNECTION can neither lengthen
    /// the line past the protocol's 107 bytes nor smuggle a line break, and so HTTP, into it.
    public static func line(sshConnection: String?) -> String {
        guard let words = sshConnection?.split(separator: " ", omittingEmptySubsequences: false), words.count == 4,
              let sourcePort = port(String(words[1])), let destinationPort = port(String(words[3])) else { return unknown }
        for (name, family) in [("TCP4", AF_INET), ("TCP6", AF_INET6)] {
            if let source = canonical(String(words[0]), family), let destination = canonical(String(words[2]), family) {
                return "PROXY \(name) \(source) \(destination) \(sourcePort) \(destinationPort)\r\n"
            }
        }
        return unknown
    }

    // MARK: Reading (havend)

    /// Looks at the bytes received so far on a new connection. Decides on the first byte
    /// that differs from "PROXY ", so a plain HTTP connection costs a prefix compare.
    public static func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Scan {
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
                guard let source = parse(line: Array(line)) else { return .malformed }
                return .preamble(source, length: length)
            }
            previous = byte
            i = bytes.index(after: i)
        }
        return length >= maximumLength ? .malformed : .needMore
    }

    /// What a whole line reports (without its CRLF), or nil if it is not a valid version 1
    /// line: a single space between fields, addresses of the protocol's family as
    /// `inet_pton` reads them, ports 0 to 65535 in decimal without leading zeros.
    static func parse(line: [UInt8]) -> Source? {
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
        guard fields.count == 6, canonical(fields[2], family) != nil, canonical(fields[3], family) != nil,
              let source = port(fields[4]), port(fields[5]) != nil else { return nil }
        return .address(ip: fields[2], port: source)
    }

    // MARK: Fields (both ends)

    /// `text` in the canonical form of an address of `family`, if `inet_pton` reads it as
    /// one (dotted quad without leading zeros; IPv6 in any of its text forms, with no zone).
    static func canonical(_ text: String, _ family: Int32) -> String? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var storage = [UInt8](repeating: 0, count: 16)
        guard inet_pton(family, text, &storage) == 1 else { return nil }
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, storage, &out, socklen_t(out.count)) != nil else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A port, 0 to 65535, in decimal without a sign or leading zeros.
    static func port(_ text: String) -> UInt16? {
        let digits = Array(text.utf8)
        guard (1...5).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits[0] != UInt8(ascii: "0") else { return nil }
        return UInt16(text)
    }
}
