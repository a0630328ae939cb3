import HavenAudit

/// Where a connection says it comes from: the SSH bridge (`haven dial-stdio`) names the
/// address in `SSH_CONNECTION` in a preamble before its first request.
///
/// It is REPORTED, never proven: any process that can reach the socket can send the same
/// preamble. So it only ever goes into the audit, beside the kernel's peer uid and pid;
/// no decision, session, throttle or admission ever reads it.
public struct ReportedOrigin: Sendable, Equatable {
    /// An address and port as the bridge reported them (checked as an IP address).
    public struct Address: Sendable, Equatable {
        public let ip: String
        public let port: UInt16
    }

    /// The address and port the bridge reported, or nil when it could not say.
    public let address: Address?

    /// The only bridge there is; named so that the audit says how the connection came.
    public static let via = "dial-stdio"

    public init(ip: String, port: UInt16) {
        address = Address(ip: ip, port: port)
    }

    /// The bridge connected, but had no address to report (no `SSH_CONNECTION`).
    public static let unknown = ReportedOrigin()

    private init() {
        address = nil
    }

    /// `"<ip> port <port>"`, or `"unknown"`: the value of the entry's `reported_from`.
    public var reportedFrom: String {
        guard let address else { return "unknown" }
        return "\(address.ip) port \(address.port)"
    }

    /// Adds `via` and `reported_from` to an entry of this connection. They are written over
    /// whatever the entry held under those keys: no other part of a request may name them.
    public func stamp(_ event: inout AuditEvent) {
        event.detail["via"] = Self.via
        event.detail["reported_from"] = reportedFrom
    }
}

extension Optional where Wrapped == ReportedOrigin {
    /// Stamps `event` if the connection came through the bridge; a local one's entries are
    /// left exactly as they were.
    func stamp(_ event: inout AuditEvent) {
        if let origin = self { origin.stamp(&event) }
    }
}
