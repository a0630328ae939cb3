@testable import HavenStats
import Testing

/// Answers built from one year's counts: the cells a period reaches, how hidden cells are
/// shown, and that every period of the year is answered from the same release.
@Suite struct IncidentReleaseTests {
    static let categories: [StatisticsDimension: [Category]] = [
        .incidentType: ["rape", "physical_assault", "not_recorded"].map { Category(code: $0, en: $0) },
        .province: [Category(code: "la-vientiane-capital", en: "Vientiane Capital", lo: "ນະຄອນຫຼວງວຽງຈັນ", vi: "Thủ đô Viêng Chăn"),
                    Category(code: "la-luang-prabang", en: "Luang Prabang", lo: "ແຂວງຫຼວງພະບາງ"),
                    Category(code: "not_recorded", en: "Not recorded")],
    ]

    /// Each month: 20 rapes and 30 assaults in Vientiane, 10 rapes in Luang Prabang, and in
    /// March, June and November one assault in Luang Prabang.
    static func year() -> IncidentCounts {
        var counts = IncidentCounts(year: 2025)
        for m in 1...12 {
            counts.add(month: m, values: [.incidentType: "rape", .province: "la-vientiane-capital"], count: 20)
            counts.add(month: m, values: [.incidentType: "physical_assault", .province: "la-vientiane-capital"], count: 30)
            counts.add(month: m, values: [.incidentType: "rape", .province: "la-luang-prabang"], count: 10)
            if [3, 6, 11].contains(m) { counts.add(month: m, values: [.incidentType: "physical_assault", .province: "la-luang-prabang"]) }
        }
        // A value the policy does not list counts as not recorded.
        counts.add(month: 5, values: [.incidentType: "honour_crime", .province: "la-vientiane-capital"], count: 6)
        return counts
    }

    static func answer(_ from: String, _ to: String, _ by: [String]) throws -> StatisticsReport {
        try IncidentRelease.answer(period: ReportingPeriod.parse(from: from, to: to), dimensions: IncidentRelease.dimensions(by),
                                   counts: year(), categories: categories, threshold: 5)
    }

    static func cell(_ r: StatisticsReport, _ groups: String...) -> String? {
        r.rows.first { $0.groups == groups }?.shown
    }

    @Test func aMonthsSmallCellIsHiddenWithItsComplementsAndTotalsAreGiven() throws {
        let march = try Self.answer("2025-03", "2025-03", ["province", "incident_type"])
        #expect(march.period == "2025-03" && march.publishedBy == "month")
        #expect(Self.cell(march, "la-luang-prabang", "physical_assault") == "<5")
        #expect(Self.cell(march, "la-vientiane-capital", "rape") == "x" || Self.cell(march, "la-luang-prabang", "rape") == "x")
        #expect(Self.cell(march, "all", "all") == "61")
        #expect(march.suppressed.small >= 1 && march.suppressed.complementary >= 2)
        #expect(march.rows.allSatisfy { ($0.count == nil) == ($0.suppression != nil) })
        #expect(!march.rows.contains { $0.count.map { (1...4).contains($0) } ?? false })
        // May's unlisted value is counted under not_recorded.
        let may = try Self.answer("2025-05", "2025-05", ["incident_type"])
        #expect(Self.cell(may, "not_recorded") == "6")
    }

    /// The same cell asked for through a month, its quarter and by month over the year is
    /// shown the same way every time: all three answers come from one release.
    @Test func everyPeriodOfTheYearShowsACellTheSameWay() throws {
        let march = try Self.answer("2025-03", "2025-03", ["province", "incident_type"])
        let byMonth = try Self.answer("2025-01", "2025-12", ["month", "province", "incident_type"])
        for row in march.rows {
            #expect(Self.cell(byMonth, "2025-03", row.groups[0], row.groups[1]) == row.shown, "\(row.groups)")
        }
        let q1 = try Self.answer("2025-01", "2025-03", ["province", "incident_type"])
        let q1ByMonth = try Self.answer("2025-01", "2025-03", ["month", "province", "incident_type"])
        for row in q1.rows {
            #expect(Self.cell(q1ByMonth, "all", row.groups[0], row.groups[1]) == row.shown, "\(row.groups)")
        }
        let year = try Self.answer("2025-01", "2025-12", ["province", "incident_type"])
        for row in year.rows {
            #expect(Self.cell(byMonth, "all", row.groups[0], row.groups[1]) == row.shown, "\(row.groups)")
        }
        #expect(Self.cell(year, "la-luang-prabang", "physical_assault") == "<5")
    }

    @Test func oneDimensionIsOneLineAndItsTotal() throws {
        let r = try Self.answer("2025-01", "2025-03", ["province"])
        #expect(r.rows.map(\.groups) == [["la-vientiane-capital"], ["la-luang-prabang"], ["not_recorded"], ["all"]])
        // By province alone nothing is small: Luang Prabang's assaults fold into its 31.
        #expect(r.rows.map(\.shown) == ["150", "31", "0", "181"] && r.suppressed.small == 0)
        let months = try Self.answer("2025-01", "2025-12", ["month"])
        #expect(months.rows.count == 13 && Self.cell(months, "2025-02") == "60" && Self.cell(months, "all") == "729")
    }

    @Test func periodsAreWholeMonthsQuartersOrYears() throws {
        #expect(try ReportingPeriod.parse(from: "2025-04", to: "2025-06") == .quarter(year: 2025, quarter: 2))
        #expect(try ReportingPeriod.parse(from: "2025-01", to: "2025-12") == .year(2025))
        for (from, to) in [("2025-03", "2025-05"), ("2025-02", "2025-04"), ("2024-12", "2025-02"), ("2025-06", "2025-05"),
                           ("2025-13", "2025-13"), ("2025-1", "2025-01"), ("2025-01-01", "2025-01")] {
            #expect(throws: ReportingPeriod.Refusal.self) { try ReportingPeriod.parse(from: from, to: to) }
        }
        #expect(throws: IncidentRelease.Refusal.self) { try IncidentRelease.dimensions(["province", "province"]) }
        #expect(throws: IncidentRelease.Refusal.self) { try IncidentRelease.dimensions(["name"]) }
        #expect(throws: IncidentRelease.Refusal.self) { try IncidentRelease.dimensions([]) }
    }

    /// A year of a handful of records cannot be published by month: the answer falls back to
    /// the quarters, or the year, for every query of that year and breakdown alike.
    @Test func aSparseYearIsPublishedOnlyAsCoarselyAsItCanBeProtected() throws {
        var counts = IncidentCounts(year: 2025)
        counts.add(month: 2, values: [.province: "la-vientiane-capital"], count: 3)
        counts.add(month: 8, values: [.province: "la-luang-prabang"], count: 9)
        counts.add(month: 9, values: [.province: "la-vientiane-capital"], count: 8)
        let period = try ReportingPeriod.parse(from: "2025-01", to: "2025-12")
        let year = try IncidentRelease.answer(period: period, dimensions: [.province], counts: counts, categories: Self.categories, threshold: 5)
        #expect(year.publishedBy != "month" || year.rows.allSatisfy { $0.count.map { $0 == 0 || $0 >= 5 } ?? true })
        #expect(!year.rows.contains { $0.count.map { (1...4).contains($0) } ?? false })
    }

    @Test func recordStatisticsEncodeToTheDocumentedBytes() {
        let s = RecordStatistics(month: ReportingMonth(year: 2025, month: 3)!, consent: true, consentExpires: 1_767_225_600_000,
                                 reportedElsewhere: false,
                                 values: [.recordType: "gbv_incident", .agency: "ossc-vientiane", .incidentType: "rape",
                                          .ageGroup: "18-25", .sex: "female"])
        let bytes = s.encoded()
        // version 1, flags 1, expiry, month index 2025*12+2 = 24302 (0x5eee), then seven length-prefixed codes.
        #expect(Array(bytes.prefix(12)) == [1, 1, 0, 0, 0x01, 0x9b, 0x76, 0xda, 0xa8, 0x00, 0x5e, 0xee])
        #expect(bytes[12] == 12 && String(decoding: bytes[13..<25], as: UTF8.self) == "gbv_incident")
        #expect(RecordStatistics(decoding: bytes) == s)
        #expect(bytes.withUnsafeBytes { RecordStatistics.head($0, at: 1_767_225_599_999) }?.counted == true)
        #expect(bytes.withUnsafeBytes { RecordStatistics.head($0, at: 1_767_225_600_000) }?.counted == false)
        var elsewhere = s
        elsewhere.reportedElsewhere = true
        #expect(!elsewhere.isCounted(at: 0))
        #expect(RecordStatistics(decoding: Array(bytes.dropLast())) == nil)
        #expect(RecordStatistics(decoding: [2] + bytes.dropFirst()) == nil)
    }

    @Test func ageGroupsAreTheGBVIMSOnesAtTheReportingDate() {
        #expect(AgeGroup.of(birth: "2014-03-08", at: "2025-03-07") == .child)
        #expect(AgeGroup.of(birth: "2013-03-07", at: "2025-03-07") == .adolescent)
        #expect(AgeGroup.of(birth: "2007-03-08", at: "2025-03-07") == .adolescent)
        #expect(AgeGroup.of(birth: "2007-03-07", at: "2025-03-07") == .youngAdult)
        #expect(AgeGroup.of(birth: "1985-01-01", at: "2025-03-07") == .adult)
        #expect(AgeGroup.of(birth: "1964-01-01", at: "2025-03-07") == .older)
        #expect(AgeGroup.of(birth: "1965-01-01", at: "2025-03-07") == .middleAged)
        #expect(AgeGroup.of(birth: nil, at: "2025-03-07") == .unknown)
        #expect(AgeGroup.of(birth: "2026-01-01", at: "2025-03-07") == .unknown)
    }
}
