import HavenCore

/// Whether one more session may be opened on a connection: the server's share of its
/// connections per user and per peer uid, with the last few kept for the people who must
/// always get in (`privileged`). Asked by `SessionService.open` once the caller has proved
/// their key and before the session is granted, so a refusal is a refused authentication —
/// never a session audited as opened and then dropped.
public protocol SessionAdmission: Sendable {
    /// Takes a session slot for `user` connecting from `uid`, or says why not (an error
    /// with code `too_many_connections`). A connection holds at most one slot; taking one
    /// gives back any it held.
    func admit(_ user: EnrolledUser, uid: UInt32, privileged: Bool) -> HavenError?
}
