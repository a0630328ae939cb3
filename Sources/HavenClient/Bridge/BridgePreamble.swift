import Glibc

/// The one line `haven dial-stdio` writes to havend before any byte of the client's: where
/// the SSH connection it serves says it came from, in the HAProxy PROXY protocol's
/// version 1 text form (`PROXY TCP4 src dst sport dport\r\n`, or `PROXY UNKNOWN\r\n`).
///
/// What it carries is reported, not proven (any user of the socket can write such a line):
/// havend only puts it in the audit. It is rebuilt here from parsed numbers, never copied
/// from the environment, so a hostile SSH_CONNECTION can neither lengthen the line past the
/// protocol's 107 bytes nor smuggle a line break, and so HTTP, into it.
public enum BridgePreamble {
    public static let unknown = "PROXY UNKNOWN\r\n"

    /// The line for `SSH_CONNECTION` ("client_ip client_port server_ip server_port"), or
    /// `PROXY UNKNOWN` when it is absent or not of that shape.
    public static func line(sshConnection: String?) -> String {
        guard let words = sshConnection?.split(separator: " ", omittingEmptySubsequences: false), words.count == 4,
              let sourcePort = port(words[1]), let destinationPort = port(words[3]) else { return unknown }
        if let source = address(words[0], family: AF_INET), let destination = address(words[2], family: AF_INET) {
            return "PROXY TCP4 \(source) \(destination) \(sourcePort) \(destinationPort)\r\n"
        }
        if let source = address(words[0], family: AF_INET6), let destination = address(words[2], family: AF_INET6) {
            return "PROXY TCP6 \(source) \(destination) \(sourcePort) \(destinationPort)\r\n"
        }
        return unknown
    }

    /// A port: decimal digits only, 0–65535.
    static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(text), n <= 65_535 else { return nil }
        return n
    }

    /// The address in its canonical text form, if `text` is one of `family`.
    static func address(_ text: Substring, family: Int32) -> String? {
        guard text.count <= 45 else { return nil }
        var storage = [UInt8](repeating: 0, count: 16)
        guard inet_pton(family, String(text), &storage) == 1 else { return nil }
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, storage, &out, socklen_t(out.count)) != nil else { return nil }
        return String(cString: out)
    }
}
