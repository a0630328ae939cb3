/// Where `--host ssh://[user@]host[:port]` points: an SSH account on the vault's machine.
///
/// Parsing is strict because every part ends up on ssh's command line: a host or user that
/// begins with '-' would be read by ssh as an option (`ssh://-oProxyCommand=…` runs a
/// command of the attacker's choosing on this machine), and a host or user may hold only
/// the characters such names are made of (an allowlist: see `check`). The arguments built here also end ssh's options
/// with `--` before the host, so even a name that slipped through could not become one.
public struct SSHDestination: Sendable, Equatable {
    public let user: String?
    public let host: String
    public let port: Int?

    /// A `--host` value that is not an `ssh://` URL of this shape, and why (words that
    /// follow "--host: " or "HAVEN_HOST: ").
    public struct Invalid: Error, Sendable, Equatable {
        public let reason: String

        public init(reason: String) { self.reason = reason }
    }

    public init(user: String?, host: String, port: Int?) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// Parses `ssh://[user@]host[:port][/]`; IPv6 addresses in brackets (`ssh://[::1]:2222`).
    public init(parsing url: String) throws(Invalid) {
        let scheme = "ssh://"
        guard url.lowercased().hasPrefix(scheme) else {
            throw Invalid(reason: "'\(Self.shown(url))' is not an ssh:// address (ssh://[user@]host[:port])")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else {
            throw Invalid(reason: "nothing may follow the host and port in ssh://[user@]host[:port]")
        }

        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let name = String(rest[..<at])
            try Self.check(name, what: "user")
            user = name
            rest = rest[rest.index(after: at)...]
        }

        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Invalid(reason: "an IPv6 address needs its closing ']'") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Invalid(reason: "only ':port' may follow ']'") }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.unicodeScalars.allSatisfy(Self.isAddressScalar) else {
                throw Invalid(reason: "'[\(Self.shown(String(host)))]' is not an IPv6 address")
            }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
            }
            try Self.check(String(host), what: "host")
        }

        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(portText), (1...65_535).contains(number) else {
                throw Invalid(reason: "the port must be a number from 1 to 65535, not '\(Self.shown(String(portText)))'")
            }
            port = number
        }
        self.init(user: user, host: String(host), port: port)
    }

    /// A user or host: not empty, no leading '-' (ssh would take it for an option), and only
    /// the characters such names are made of: ASCII letters, digits, '.', '-' and '_'. An
    /// allowlist, not a list of what to refuse: the name reaches ssh's argv and, through a
    /// ProxyCommand's %h or %r in the user's own configuration, a shell (CVE-2023-51385), so
    /// '|', '&', '(' or '<' must not pass either. Debian's useradd accepts the same set for a
    /// user, plus a trailing '$' kept for Samba's machine accounts, which are not people and
    /// which a shell would read: refused here.
    private static func check(_ part: String, what: String) throws(Invalid) {
        guard !part.isEmpty else { throw Invalid(reason: "the \(what) is empty") }
        guard !part.hasPrefix("-") else {
            throw Invalid(reason: "a \(what) may not begin with '-' ('\(shown(part))' would be read by ssh as an option)")
        }
        guard part.unicodeScalars.allSatisfy(Self.isNameScalar) else {
            throw Invalid(reason: "the \(what) '\(shown(part))' holds a character no \(what) name has; one is made of ASCII letters, digits, '.', '-' and '_'")
        }
    }

    /// ASCII letters and digits, '.', '-', '_'.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "-", "_": true
        default: false
        }
    }

    /// Inside brackets: ASCII hex digits, ':' and '.' (an IPv4 tail), nothing else.
    private static func isAddressScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "a"..."f", "A"..."F", ":", ".": true
        default: false
        }
    }

    /// The address as a user writes it, for messages and `haven status`.
    public var url: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "ssh://" + (user.map { "\($0)@" } ?? "") + name + (port.map { ":\($0)" } ?? "")
    }

    /// The host as messages name it (with its user, without the scheme).
    public var displayName: String {
        (user.map { "\($0)@" } ?? "") + host
    }

    /// The command that runs `haven dial-stdio` on the vault's host: `program` (ssh and any
    /// options the user gave in HAVEN_SSH_COMMAND), then Haven's own, then `--` and the host.
    ///
    /// BatchMode: ssh must never ask (a password, or whether to trust an unknown host key):
    /// the terminal is Haven's, and a host key accepted at a prompt nobody read is how an
    /// attacker in the middle gets in. `-T`: no terminal on the remote side, so the bytes go
    /// through untouched.
    public func sshArguments(program: [String], connectTimeout: Int) -> [String] {
        var arguments = program + ["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"]
        if let user { arguments += ["-l", user] }
        if let port { arguments += ["-p", String(port)] }
        return arguments + ["--", host, "haven", "dial-stdio"]
    }

    /// `value` with control and format characters shown as '?', cut short: it goes into a
    /// message. Format characters (general category Cf) include the bidi overrides and
    /// isolates (U+202A–E, U+2066–9), with which text from a hostile host's stderr could make
    /// the line read otherwise on the terminal than it is, and zero-width ones that hide.
    static func shown(_ value: String, limit: Int = 80) -> String {
        let inert = String(String.UnicodeScalarView(value.unicodeScalars.map {
            switch $0.properties.generalCategory {
            case .control, .format: "?"
            default: $0
            }
        }))
        return inert.count > limit ? String(inert.prefix(limit)) + "…" : inert
    }
}
