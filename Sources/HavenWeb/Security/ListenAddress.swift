/// `--listen ADDR:PORT`, and whether plain HTTP may be served on it.
public struct ListenAddress: Sendable, Equatable {
    public let host: String
    public let port: Int

    /// `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`; nil when it is not one of those forms.
    public init?(_ text: String) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":"),
                  let port = Int(text[text.index(close, offsetBy: 2)...]) else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            self.port = port
        } else {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
            host = String(text[..<colon])
            guard !host.isEmpty, !host.contains(":") else { return nil }
            self.port = port
        }
        guard (0...65535).contains(port) else { return nil }
    }

    /// Loopback only: 127.0.0.0/8, ::1 and localhost. Plain HTTP is served nowhere else:
    /// a passphrase must not cross a network in clear.
    public var isLoopback: Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
