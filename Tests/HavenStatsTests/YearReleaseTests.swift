@testable import HavenStats
import Testing

/// A year's release over several breakdowns: one table per set of dimensions whatever the
/// order asked, its canonical bytes, and answers read back from the decoded release.
@Suite struct YearReleaseTests {
    static let breakdowns: [[StatisticsDimension]] = [[.province, .incidentType], [.ageGroup, .province]]

    static var categories: [StatisticsDimension: [Category]] {
        var c = IncidentReleaseTests.categories
        c[.ageGroup] = ["12-17", "18-25", "unknown"].map { Category(code: $0, en: $0) }
        return c
    }

    static func counts() -> IncidentCounts {
        var counts = IncidentReleaseTests.year()
        counts.add(month: 4, values: [.incidentType: "rape", .province: "la-luang-prabang", .ageGroup: "12-17"], count: 2)
        return counts
    }

    static func release() throws -> YearRelease {
        try IncidentRelease.release(year: 2025, counts: counts(), breakdowns: breakdowns, categories: categories, threshold: 5)
    }

    @Test func aReleaseIsKeyedByTheSetOfDimensions() throws {
        let r = try Self.release()
        #expect(r.breakdowns == [[.incidentType, .province], [.province, .ageGroup]])
        #expect(r.sets.count == 6)  // the grand total, three margins, two breakdowns
        let q2 = try ReportingPeriod.parse(from: "2025-04", to: "2025-06")
        let a = try IncidentRelease.answer(period: q2, dimensions: [.province, .incidentType], from: r)
        let b = try IncidentRelease.answer(period: q2, dimensions: [.incidentType, .province], from: r)
        #expect(a.rows.count == b.rows.count)
        for row in a.rows {
            let swapped = b.rows.first { $0.groups == [row.groups[1], row.groups[0]] }
            #expect(swapped?.shown == row.shown && swapped?.suppression == row.suppression, "\(row.groups)")
        }
        // May's unlisted value is counted under not_recorded, as before.
        let may = try IncidentRelease.answer(period: .month(ReportingMonth(year: 2025, month: 5)!), dimensions: [.incidentType], from: r)
        #expect(may.rows.first { $0.groups == ["not_recorded"] }?.shown == "6")
        // A margin is a subset of a breakdown; a set no breakdown holds is refused.
        _ = try IncidentRelease.answer(period: q2, dimensions: [.ageGroup], from: r)
        #expect(throws: IncidentRelease.Refusal.self) {
            try IncidentRelease.answer(period: q2, dimensions: [.ageGroup, .incidentType], from: r)
        }
        #expect(throws: IncidentRelease.Refusal.self) {
            try IncidentRelease.answer(period: .year(2024), dimensions: [.province], from: r)
        }
    }

    @Test func aReleaseDecodesToItselfAndAnswersAlike() throws {
        let r = try Self.release()
        let bytes = r.encoded()
        let back = try YearRelease(decoding: bytes)
        #expect(back == r && back.encoded() == bytes)
        for (from, to) in [("2025-01", "2025-12"), ("2025-04", "2025-06"), ("2025-03", "2025-03")] {
            let period = try ReportingPeriod.parse(from: from, to: to)
            for by in [[StatisticsDimension.province, .ageGroup], [.month, .incidentType, .province], [.month], [.incidentType]] {
                if r.publishedBy != "month" && by.contains(.month) { continue }
                let one = try? IncidentRelease.answer(period: period, dimensions: by, from: r)
                let two = try? IncidentRelease.answer(period: period, dimensions: by, from: back)
                #expect(one == two, "\(by) \(period)")
            }
        }
        // Truncated, extended or altered bytes are refused, never read as another release.
        #expect(throws: IncidentRelease.Refusal.self) { try YearRelease(decoding: Array(bytes.dropLast())) }
        #expect(throws: IncidentRelease.Refusal.self) { try YearRelease(decoding: bytes + [0]) }
        var status = bytes
        status[status.count - 1 - 4] = 7
        #expect((try? YearRelease(decoding: status)) != r)
        #expect(throws: IncidentRelease.Refusal.self) { try YearRelease(decoding: [2] + bytes.dropFirst()) }
    }

    /// The vault signs the bytes: the same counts give the same bytes every time.
    @Test func theSameYearGivesTheSameBytes() throws {
        #expect(try Self.release().encoded() == (try Self.release().encoded()))
    }

    /// A sparse year is published only by year: a month or a quarter of it, or by month, is
    /// refused, saying what can be asked.
    @Test func aQueryFinerThanTheReleaseIsRefused() throws {
        var counts = IncidentCounts(year: 2025)
        counts.add(month: 2, values: [.province: "la-vientiane-capital", .incidentType: "rape"], count: 3)
        counts.add(month: 8, values: [.province: "la-luang-prabang", .incidentType: "rape"], count: 9)
        counts.add(month: 9, values: [.province: "la-vientiane-capital", .incidentType: "rape"], count: 8)
        let r = try IncidentRelease.release(year: 2025, counts: counts, breakdowns: [[.province]], categories: Self.categories,
                                            threshold: 5)
        #expect(r.publishedBy == "year")
        _ = try IncidentRelease.answer(period: .year(2025), dimensions: [.province], from: r)
        for (period, by) in [(ReportingPeriod.quarter(year: 2025, quarter: 1), [StatisticsDimension.province]),
                             (.month(ReportingMonth(year: 2025, month: 2)!), [.province]), (.year(2025), [.month, .province])] {
            #expect(throws: IncidentRelease.Refusal.self) { try IncidentRelease.answer(period: period, dimensions: by, from: r) }
        }
    }
}
