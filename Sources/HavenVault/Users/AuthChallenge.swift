import HavenCore

/// A challenge issued on one connection; the server keeps it in the connection's state
/// and it can be answered once.
public struct AuthChallenge: Sendable {
    public let nonce: String
    public let issuedAt: Timestamp
}
