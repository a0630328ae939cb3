import HavenCore
@testable import HavenVault
import Testing

/// Slow-down and lockout of repeated failed authentications, by peer uid and by key.
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

    /// Locked by uid: another key from the same peer is refused too. Locked by key: the same
    /// key from another peer is refused too. An unrelated peer and key are not affected.
    @Test func lockoutAppliesToThePeerAndToTheKey() {
        let t = throttle()
        for n in 0..<10 { _ = t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: Int64(n))) }
        let now = t0.adding(milliseconds: 100)
        #expect(t.verdict(uid: 1000, keyID: "k2", now: now) != .allowed)
        #expect(t.verdict(uid: 1000, keyID: nil, now: now) != .allowed)
        #expect(t.verdict(uid: 2000, keyID: "k1", now: now) != .allowed)
        #expect(t.verdict(uid: 2000, keyID: "k2", now: now) == .allowed)
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
        #expect(t.failed(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 20)) == 0)
        #expect(t.verdict(uid: 1000, keyID: "k1", now: t0.adding(milliseconds: 21)) == .allowed)
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
