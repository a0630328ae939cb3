import HavenCore
@testable import HavenVault
import Testing

/// Slow-down and lockout of repeated failed authentications: locked per peer uid and
/// claimed key, slowed per uid and per key.
@Suite struct AuthenticationThrottleTests {
    let t0 = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    func throttle() -> AuthenticationThrottle {
        var p = AuthenticationThrottle.Policy()
        p.failuresBeforeDelay = 3
        p.failuresBeforeLockout = 10
        p.windowMilliseconds = 60_000
        p.lockoutMilliseconds = 60_000
        return AuthenticationThrottle(policy: p)
    }

    @Test func answersSlowDownThenLockOut() {
        let t = throttle()
        var delays = [Int64]()
        for n in 0..<10 {
            #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) == .allowed)
            delays.append(t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))))
        }
        #expect(delays.prefix(3).allSatisfy { $0 == 0 })
        #expect(delays[3] == 250 && delays[4] == 500 && delays[5] == 1000)
        #expect(delays.last! == 4000, "the delay is capped")
        #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 10)) == .lockedOut(until: t0.adding(milliseconds: 60_009)))
        #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 60_010)) == .allowed, "the lockout ends")
    }

    /// Locked: this uid's attempts with this key, and nothing else. Another key from the
    /// same uid (another user of the Unix account, the administrator) and the same key
    /// from another uid (its holder, from their own account) are allowed.
    @Test func lockoutAppliesToThisUidsAttemptsWithThisKeyOnly() {
        let t = throttle()
        for n in 0..<10 { _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) }
        let now = t0.adding(milliseconds: 100)
        #expect(t.verdict(uid: 1000, keyID: "k1", now: now) != .allowed)
        #expect(t.verdict(uid: 1000, keyID: "k2", now: now) == .allowed)
        #expect(t.verdict(uid: 1000, keyID: nil, now: now) == .allowed)
        #expect(t.verdict(uid: 2000, keyID: "k1", now: now) == .allowed)
    }

    /// Someone holding only a user's public key, failing with it from their own uid again
    /// and again, never locks the user out of their own uid; their own failures are slowed.
    @Test func aPublicKeyAloneLocksNoOneElseOut() {
        let t = throttle()
        for n in 0..<100 { _ = t.failed(uid: 666, keyID: "victim", now: t0.adding(milliseconds: Int64(n))) }
        let now = t0.adding(milliseconds: 200)
        #expect(t.verdict(uid: 1000, keyID: "victim", now: now) == .allowed)
        #expect(t.verdict(uid: 666, keyID: "victim", now: now) != .allowed)
        #expect(t.pace(uid: 666, keyID: "victim", now: now) == 4000, "hammering a lockout is as slow as failing")
        // The key's count slows only failures: the holder's first failure from their uid is slowed, never refused.
        #expect(t.failed(uid: 1000, keyID: "victim", now: now) > 0)
        #expect(t.verdict(uid: 1000, keyID: "victim", now: now) == .allowed)
    }

    /// A uid trying many keys is slowed, never locked out as a whole.
    @Test func manyKeysFromOneUidAreSlowedNotLocked() {
        let t = throttle()
        var last: Int64 = 0
        for n in 0..<30 { last = t.failed(uid: 1000, keyID: "k\(n)", now: t0.adding(milliseconds: Int64(n))) }
        #expect(last == 4000)
        #expect(t.verdict(uid: 1000, keyID: "mine", now: t0.adding(milliseconds: 40)) == .allowed)
    }

    /// An administrator lifts every lockout of a key, from every uid, at once.
    @Test func unlockLiftsEveryLockoutOfTheKey() {
        let t = throttle()
        for uid: UInt32 in [1000, 2000] {
            for n in 0..<10 { _ = t.failed(uid: uid, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) }
        }
        for n in 0..<10 { _ = t.failed(uid: 1000, keyID: "k2", now: t0.adding(milliseconds: Int64(n))) }
        let now = t0.adding(milliseconds: 100)
        #expect(t.lockouts(keyID: "k1", now: now) == 2)
        #expect(t.unlock(keyID: "k1", now: now) == 2)
        #expect(t.verdict(uid: 1000, keyID: "k1", now: now) == .allowed && t.verdict(uid: 2000, keyID: "k1", now: now) == .allowed)
        _ = t.failed(uid: 2000, keyID: "k1", now: now)
        #expect(t.verdict(uid: 2000, keyID: "k1", now: now) == .allowed, "the count starts again: one failure locks nothing")
        #expect(t.verdict(uid: 1000, keyID: "k2", now: now) != .allowed, "another key's lockout stays")
        #expect(t.unlock(keyID: "k1", now: now) == 0)
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        let t = throttle()
        for n in 0..<9 { _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) }
        // The tenth failure comes after the first nine left the window: no lockout.
        _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 61_000))
        #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 61_001)) == .allowed)
    }

    @Test func aSuccessClearsTheCount() {
        let t = throttle()
        for n in 0..<9 { _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) }
        t.succeeded(uid: 1000, keyID: "k1")
        // Nine more failures with the key do not lock it: the count started again.
        for n in 0..<9 { _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 20 + Int64(n))) }
        #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 40)) == .allowed)
        // The uid's own count ages out rather than clears: its failures stay slowed.
        #expect(t.failed(uid: 1000, keyID: "k9", now: t0.adding(milliseconds: 41)) > 0)
    }

    /// Random keys cannot grow the table without bound.
    @Test func manyDistinctKeysArePruned() {
        let t = throttle()
        for n in 0..<(AuthenticationThrottle.maximumSubjects + 50) {
            _ = t.failed(uid: UInt32(n), keyID: "k\(n)", now: t0.adding(milliseconds: Int64(n)))
        }
        #expect(t.subjectCount <= AuthenticationThrottle.maximumSubjects + 2)
        // Long after the window, the next prune forgets everything stale.
        for n in 0..<(AuthenticationThrottle.maximumSubjects / 2) {
            _ = t.failed(uid: 7, keyID: "late\(n)", now: t0.adding(milliseconds: 10_000_000 + Int64(n)))
        }
        #expect(t.subjectCount <= AuthenticationThrottle.maximumSubjects + 2)
    }
}
