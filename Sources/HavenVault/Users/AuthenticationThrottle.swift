import HavenCore
import Synchronization

/// Slows and then locks out repeated failed authentications, by socket peer (uid) and by
/// claimed key, so a local process cannot guess or grind at keys and a stolen public key
/// cannot be hammered from many processes (SECURITY.md, "authentication abuse").
///
/// Trade-off: locking by key means failures claiming a user's key can lock that user out
/// for a while (a denial of service by someone who can reach the socket, i.e. a member of
/// the daemon's group). Established sessions are unaffected.
public final class AuthenticationThrottle: Sendable {
    public struct Policy: Sendable {
        /// Failures after which each further failure is answered more slowly.
        public var failuresBeforeDelay = 3
        /// Failures within `window` after which attempts are refused outright for `lockout`.
        public var failuresBeforeLockout = 10
        public var windowMilliseconds: Int64 = 15 * 60 * 1000
        public var lockoutMilliseconds: Int64 = 15 * 60 * 1000
        public var maximumDelayMilliseconds: Int64 = 4000

        public init() {}
    }

    public enum Verdict: Equatable, Sendable {
        case allowed
        case lockedOut(until: Timestamp)
    }

    enum Subject: Hashable {
        case uid(UInt32)
        case key(String)
    }

    struct Record {
        var failures: [Timestamp] = []
        var lockedUntil: Timestamp?
    }

    /// Bound on remembered subjects, so random keys cannot grow memory without limit.
    static let maximumSubjects = 10_000

    let policy: Policy
    private let state = Mutex<[Subject: Record]>([:])

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether an attempt from `uid` claiming `keyID` may proceed now.
    public func verdict(uid: UInt32, keyID: String?, now: Timestamp) -> Verdict {
        state.withLock { s in
            var until: Timestamp?
            for subject in subjects(uid, keyID) {
                if let t = s[subject]?.lockedUntil, t > now { until = max(until ?? t, t) }
            }
            return until.map { .lockedOut(until: $0) } ?? .allowed
        }
    }

    /// Records a failure; returns how long to hold back the answer.
    public func failed(uid: UInt32, keyID: String?, now: Timestamp) -> Int64 {
        state.withLock { s in
            if s.count > Self.maximumSubjects { prune(&s, now: now) }
            var worst = 0
            for subject in subjects(uid, keyID) {
                var r = s[subject] ?? Record()
                r.failures = r.failures.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < policy.windowMilliseconds }
                r.failures.append(now)
                // Only the most recent failures matter for the lockout count.
                if r.failures.count > policy.failuresBeforeLockout { r.failures.removeFirst(r.failures.count - policy.failuresBeforeLockout) }
                if r.failures.count >= policy.failuresBeforeLockout {
                    r.lockedUntil = now.adding(milliseconds: policy.lockoutMilliseconds)
                }
                worst = max(worst, r.failures.count)
                s[subject] = r
            }
            guard worst > policy.failuresBeforeDelay else { return 0 }
            let doublings = min(worst - policy.failuresBeforeDelay - 1, 8)
            return min(250 << Int64(doublings), policy.maximumDelayMilliseconds)
        }
    }

    /// A success clears the counters of the peer and the key.
    public func succeeded(uid: UInt32, keyID: String) {
        state.withLock { s in
            for subject in subjects(uid, keyID) where s[subject]?.lockedUntil == nil { s[subject] = nil }
        }
    }

    private func subjects(_ uid: UInt32, _ keyID: String?) -> [Subject] {
        [.uid(uid)] + (keyID.map { [.key($0)] } ?? [])
    }

    /// Forgets stale subjects; if that is not enough, forgets every subject not locked out.
    /// Each peer uid is locked after a few failures, so only many distinct local users could
    /// fill the table; under such a flood, counts restarting is the lesser harm.
    private func prune(_ s: inout [Subject: Record], now: Timestamp) {
        let locked = { (r: Record) in r.lockedUntil.map { $0 > now } ?? false }
        s = s.filter { _, r in
            locked(r) || r.failures.contains { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < policy.windowMilliseconds }
        }
        if s.count > Self.maximumSubjects { s = s.filter { locked($0.value) } }
    }

    /// How many peers and keys are remembered (for tests and diagnostics).
    var subjectCount: Int { state.withLock { $0.count } }
}
