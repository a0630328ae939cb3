import HavenCore
import Synchronization

/// Slows and then locks out repeated failed authentications (SECURITY.md, "authentication
/// abuse"). What is locked is one peer uid's attempts with one claimed key — that is, with
/// one claimed user — never a whole Unix account and never a key everywhere:
/// - failures from uid X claiming U's key lock X's attempts as U, and nothing else: U still
///   authenticates from U's own uid, and the other users of X still authenticate from X;
/// - a public key is not a secret, so failing with it must not lock its holder out:
///   someone holding only U's public key, sending bad signatures, locks their own attempts.
/// Failures are also counted per uid and per key, across the others, but only to answer
/// further failures more slowly: a uid trying many keys, or many uids trying one key, are
/// held to a slow pace without anyone being refused. A success is never slowed.
///
/// An administrator lifts a user's lockouts (`unlock`, `haven user unlock`).
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
        /// One peer uid's attempts with one claimed key (nil: a key that could not be read).
        /// The only subject that is ever locked out.
        case attempt(uid: UInt32, key: String?)
        /// Every failure of one peer uid, whatever key it claimed: slows only.
        case peer(UInt32)
        /// Every failure claiming one key, from whatever uid: slows only.
        case key(String)

        var locks: Bool {
            if case .attempt = self { return true }
            return false
        }
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
            guard let t = s[.attempt(uid: uid, key: keyID)]?.lockedUntil, t > now else { return .allowed }
            return .lockedOut(until: t)
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
                if subject.locks && r.failures.count >= policy.failuresBeforeLockout {
                    r.lockedUntil = now.adding(milliseconds: policy.lockoutMilliseconds)
                }
                worst = max(worst, r.failures.count)
                s[subject] = r
            }
            return delay(afterFailures: worst)
        }
    }

    /// How long to hold back the answer to an attempt refused because it is locked out:
    /// as long as its next failure would be, so hammering a lockout is no faster than failing.
    public func pace(uid: UInt32, keyID: String?, now: Timestamp) -> Int64 {
        state.withLock { s in
            let counts = subjects(uid, keyID).map { subject in
                s[subject]?.failures.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < policy.windowMilliseconds }.count ?? 0
            }
            return delay(afterFailures: counts.max() ?? 0)
        }
    }

    /// A success clears the counts of this uid's attempts with the key, and of the key.
    /// The uid's own count ages out instead: a success with one key must not let the same
    /// uid go on trying others at full speed.
    public func succeeded(uid: UInt32, keyID: String) {
        state.withLock { s in
            for subject in [Subject.attempt(uid: uid, key: keyID), .key(keyID)] where s[subject]?.lockedUntil == nil {
                s[subject] = nil
            }
        }
    }

    /// An administrator lifts every lockout of attempts with `keyID`, from any uid, and
    /// forgets the key's failures. Returns how many lockouts were in force.
    public func unlock(keyID: String, now: Timestamp) -> Int {
        state.withLock { s in
            var lifted = 0
            for (subject, record) in s {
                switch subject {
                case .attempt(_, let k?) where k == keyID:
                    if let t = record.lockedUntil, t > now { lifted += 1 }
                    s[subject] = nil
                case .key(let k) where k == keyID:
                    s[subject] = nil
                default:
                    continue
                }
            }
            return lifted
        }
    }

    /// How many lockouts of attempts with `keyID` are in force.
    public func lockouts(keyID: String, now: Timestamp) -> Int {
        state.withLock { s in
            s.filter { subject, record in
                guard case .attempt(_, let k?) = subject, k == keyID, let t = record.lockedUntil else { return false }
                return t > now
            }.count
        }
    }

    private func delay(afterFailures count: Int) -> Int64 {
        guard count > policy.failuresBeforeDelay else { return 0 }
        let doublings = min(count - policy.failuresBeforeDelay - 1, 8)
        return min(250 << Int64(doublings), policy.maximumDelayMilliseconds)
    }

    private func subjects(_ uid: UInt32, _ keyID: String?) -> [Subject] {
        [.attempt(uid: uid, key: keyID), .peer(uid)] + (keyID.map { [.key($0)] } ?? [])
    }

    /// Forgets stale subjects; if that is not enough, forgets every subject not locked out.
    /// Only a flood of distinct keys or uids could fill the table; under such a flood,
    /// counts restarting is the lesser harm.
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
