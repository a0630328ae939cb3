import HavenStats
import Testing

/// The forms a period is asked in: months, and quarters as the answers write them back.
@Suite struct ReportingPeriodTests {
    @Test func aQuarterIsAskedAsItIsWritten() throws {
        #expect(try ReportingPeriod.parse(from: "2026-Q3", to: "2026-Q3") == .quarter(year: 2026, quarter: 3))
        #expect(try ReportingPeriod.parse(from: "2026-q1", to: "2026-03") == .quarter(year: 2026, quarter: 1))
        #expect(try ReportingPeriod.parse(from: "2026-Q1", to: "2026-Q4") == .year(2026))
        #expect(try ReportingPeriod.parse(from: "2026-07", to: "2026-Q3") == .quarter(year: 2026, quarter: 3))
        // The forms kept from before.
        #expect(try ReportingPeriod.parse(from: "2026-07", to: "2026-09") == .quarter(year: 2026, quarter: 3))
        #expect(try ReportingPeriod.parse(from: "2026-07", to: "2026-07") == .month(ReportingMonth(year: 2026, month: 7)!))
        #expect(try ReportingPeriod.parse(from: "2026-Q3", to: "2026-Q3").description == "2026-Q3")
    }

    @Test func whatIsNotAQuarterIsRefusedAsBefore() {
        for (from, to) in [("2026-Q5", "2026-Q5"), ("2026-Q0", "2026-Q0"), ("1899-Q1", "1899-Q1"), ("2026-Q", "2026-Q3"),
                           ("2026-Q1", "2026-Q2"), ("2026-Q3", "2026-Q2"), ("26-Q3", "26-Q3")] {
            #expect(throws: ReportingPeriod.Refusal.self, "\(from) \(to)") { try ReportingPeriod.parse(from: from, to: to) }
        }
    }
}
