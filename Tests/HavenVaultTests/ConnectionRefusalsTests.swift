import HavenCore
@testable import HavenVault
import Testing

/// Sessions refused for too many connections: the first of each user in each minute is
/// written, carrying how many were refused unwritten since; the rest are only counted.
@Suite struct ConnectionRefusalsTests {
    let t0 = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)

    @Test func oneEntryAMinutePerUserCountingTheRest() throws {
        let refusals = ConnectionRefusals()
        let analyst = try UserName("analyst"), police = try UserName("police")
        #expect(refusals.refused(analyst, now: t0) == 0)
        for n in 1...1000 { #expect(refusals.refused(analyst, now: t0.adding(milliseconds: Int64(n))) == nil) }
        #expect(refusals.refused(police, now: t0.adding(milliseconds: 5)) == 0, "each user has their own minute")
        #expect(refusals.refused(analyst, now: t0.adding(milliseconds: 60_000)) == 1000)
        #expect(refusals.refused(analyst, now: t0.adding(milliseconds: 60_001)) == nil)
    }
}
