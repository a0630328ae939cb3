import HavenCore
import HavenVault

/// What one connection knows of its caller: the challenge issued on it and the session
/// that challenge opened. It lives and dies with the connection: a connection is
/// authenticated once, by a challenge issued on it, and no other connection can use either.
struct ConnectionSession {
    /// The challenge issued on this connection and not yet answered.
    private(set) var challenge: AuthChallenge?
    /// The user the connection authenticated as, as enrolled at that moment.
    private(set) var user: EnrolledUser?
    /// Which opening of the vault the session was made in: sealing ends every session.
    private var generation: UInt64 = 0

    /// A session was opened and has not been seen to end. Checked against the vault's
    /// opening only when a request arrives (`user(inGeneration:)`).
    var isOpen: Bool { user != nil }

    /// Keeps a newly issued challenge; it replaces any earlier one, so only the latest can
    /// be answered.
    mutating func issue(_ c: AuthChallenge) {
        challenge = c
    }

    /// The challenge, taken once: an answer uses it up whatever its outcome, so one signed
    /// transcript cannot be tried twice on this connection.
    mutating func takeChallenge() -> AuthChallenge? {
        defer { challenge = nil }
        return challenge
    }

    /// The vault, in its opening `generation`, accepted the challenge's answer from `user`.
    mutating func open(_ user: EnrolledUser, generation: UInt64) {
        self.user = user
        self.generation = generation
    }

    /// The session's user for a request arriving while the vault is in its opening
    /// `generation` (nil: sealed). A session opened before the vault was sealed has ended,
    /// even if the vault was unsealed since: its user must authenticate again.
    mutating func user(inGeneration current: UInt64?) -> EnrolledUser? {
        if user != nil, generation != current { user = nil }
        return user
    }

    /// The connection closed: nothing of it may be used again.
    mutating func end() {
        user = nil
        challenge = nil
    }
}
