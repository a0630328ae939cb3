import HavenCore
import HavenStore
import Synchronization

/// The enrolled users, held in memory and consulted on every request, so that a
/// revocation takes effect on the very next request of every open connection.
///
/// Changed only by the writer after a user change has committed; read by any thread.
public final class UserDirectory: Sendable {
    private struct Snapshot {
        var byName: [UserName: EnrolledUser] = [:]
        var byKey: [[UInt8]: UserName] = [:]
    }

    private let state: Mutex<Snapshot>

    public init(users: [EnrolledUser]) {
        var s = Snapshot()
        for u in users {
            s.byName[u.name] = u
            if u.isActive { s.byKey[u.publicKey] = u.name }
        }
        state = Mutex(s)
    }

    public func user(named name: UserName) -> EnrolledUser? {
        state.withLock { $0.byName[name] }
    }

    /// The active user enrolled with this public key.
    public func activeUser(withKey key: [UInt8]) -> EnrolledUser? {
        state.withLock { s in s.byKey[key].flatMap { s.byName[$0] } }
    }

    public func all() -> [EnrolledUser] {
        state.withLock { Array($0.byName.values) }.sorted { $0.name < $1.name }
    }

    func added(_ user: EnrolledUser) {
        state.withLock { s in
            s.byName[user.name] = user
            s.byKey[user.publicKey] = user.name
        }
    }

    /// The user's new key takes effect: sessions opened with the old one fail their next request.
    func rekeyed(_ user: EnrolledUser, from old: [UInt8]) {
        state.withLock { s in
            s.byName[user.name] = user
            s.byKey[old] = nil
            s.byKey[user.publicKey] = user.name
        }
    }

    func revoked(_ name: UserName, at: Timestamp, by: UserName) {
        state.withLock { s in
            guard var u = s.byName[name] else { return }
            u.revokedAt = at
            u.revokedBy = by
            s.byName[name] = u
            s.byKey[u.publicKey] = nil
        }
    }
}
