import HavenCore
import Synchronization

/// Which sessions refused for too many connections become audit entries. A user flooding
/// the socket is refused thousands of times a second; each refusal written would let the
/// flood fill the audit log (and the disk) instead of the connection table. So, per user,
/// the first refusal of each minute is written, carrying how many were refused since the
/// last one written; the others are only counted (the daemon's log says the same, as often).
final class ConnectionRefusals: Sendable {
    static let intervalMilliseconds: Int64 = 60_000
    /// Bound on remembered users; past it, the table starts again (the next refusal of
    /// each is written).
    static let maximumUsers = 4096

    private struct Tally {
        var lastWritten: Timestamp
        var since = 0
    }

    private let state = Mutex<[UserName: Tally]>([:])

    /// A refusal of `user` at `now`: the number refused unwritten since the last entry when
    /// this one is to be written, nil when it is only counted.
    func refused(_ user: UserName, now: Timestamp) -> Int? {
        state.withLock { s in
            if var t = s[user], now.millisecondsSinceEpoch - t.lastWritten.millisecondsSinceEpoch < Self.intervalMilliseconds {
                t.since += 1
                s[user] = t
                return nil
            }
            if s.count >= Self.maximumUsers { s = [:] }
            let since = s[user]?.since ?? 0
            s[user] = Tally(lastWritten: now)
            return since
        }
    }
}
