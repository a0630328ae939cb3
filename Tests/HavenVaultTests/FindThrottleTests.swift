import HavenCore
import HavenPolicy
@testable import HavenVault
import Testing

/// The find throttle on a clock the test sets: a burst, then one find per interval, per
/// user, whatever the number of requests thrown at it.
@Suite struct FindThrottleTests {
    let limit = FindLimit(burst: 10, secondsPerFind: 3)
    let ana = try! UserName("ana"), bo = try! UserName("bo")

    @Test func aBurstThenOneFindPerIntervalWhateverIsAsked() {
        let t = FindThrottle()
        // A script asking every 10 ms for ten minutes: 10, then one each 3 s.
        var allowed = 0
        for step in 0..<60_000 where t.take(ana, limit: limit, atMilliseconds: Int64(step) * 10) == .allowed { allowed += 1 }
        #expect(allowed == 10 + 600 / 3 - 1 || allowed == 10 + 600 / 3, "\(allowed)")
        // Her colleague has a bucket of his own.
        #expect(t.take(bo, limit: limit, atMilliseconds: 600_000) == .allowed)
    }

    @Test func aRefusalSaysWhenATokenIsDueAndRefusalsCostNothing() {
        let t = FindThrottle()
        for _ in 0..<10 { #expect(t.take(ana, limit: limit, atMilliseconds: 0) == .allowed) }
        #expect(t.take(ana, limit: limit, atMilliseconds: 0) == .refused(retryAfterSeconds: 3))
        #expect(t.take(ana, limit: limit, atMilliseconds: 2_100) == .refused(retryAfterSeconds: 1))
        #expect(t.take(ana, limit: limit, atMilliseconds: 3_000) == .allowed)
        #expect(t.take(ana, limit: limit, atMilliseconds: 3_000) == .refused(retryAfterSeconds: 3))
        let error = FindThrottle.refusal(3, limit: limit)
        #expect(error.code == .rateLimited && error.hint == "try again in 3 s")
    }

    @Test func aLowerBurstAfterAReloadCapsWhatIsHeld() {
        let t = FindThrottle()
        #expect(t.take(ana, limit: limit, atMilliseconds: 0) == .allowed)
        let tight = FindLimit(burst: 2, secondsPerFind: 60)
        // An hour later she holds at most the new burst.
        #expect(t.take(ana, limit: tight, atMilliseconds: 3_600_000) == .allowed)
        #expect(t.take(ana, limit: tight, atMilliseconds: 3_600_000) == .allowed)
        #expect(t.take(ana, limit: tight, atMilliseconds: 3_600_000) == .refused(retryAfterSeconds: 60))
    }
}
