import Foundation
@testable import HavenStats
import HavenTestSupport
import Testing

/// The attack as it was made: everything an analyst can ask of a year — several breakdowns of
/// three dimensions and every part of each, in every order, every month, quarter and the year
/// — handed to an exact integer solver (scripts/stats-attack.py, scipy's MILP), which bounds
/// every hidden cell from below and above over all tables by month consistent with it.
@Suite struct ExactAttackTests {
    static let scipy = (try? VectorScript.text("stats-attack.py", arguments: ["--check"])) == "scipy\n"

    static let categories: [StatisticsDimension: [Category]] = [
        .province: ["north", "centre", "south"].map { Category(code: $0, en: $0) },
        .ageGroup: ["12-17", "18-25", "26-40"].map { Category(code: $0, en: $0) },
        .incidentType: ["rape", "physical_assault", "psychological_abuse"].map { Category(code: $0, en: $0) },
        .sex: ["female", "male"].map { Category(code: $0, en: $0) },
    ]
    static let breakdowns: [[StatisticsDimension]] = [[.province, .ageGroup, .incidentType], [.incidentType, .sex, .province],
                                                      [.ageGroup, .sex, .province]]

    /// A year of a few hundred records (times `scale`), most in the centre, few in the north, few boys.
    static func counts(scale: Int = 1) -> IncidentCounts {
        var counts = IncidentCounts(year: 2025)
        var n = 7
        let weights = ["north": 1, "centre": 6, "south": 3, "female": 4, "male": 1, "12-17": 2, "18-25": 3, "26-40": 3,
                       "rape": 2, "physical_assault": 3, "psychological_abuse": 2]
        for m in 1...12 {
            for p in categories[.province]! {
                for a in categories[.ageGroup]! {
                    for t in categories[.incidentType]! {
                        for s in categories[.sex]! {
                            n = (n &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
                            let mean = [p, a, t, s].reduce(1) { $0 * weights[$1.code]! }
                            let v = (n >> 8) % (mean * scale / 24 + 2)
                            guard v > 0 else { continue }
                            counts.add(month: m, values: [.province: p.code, .ageGroup: a.code, .incidentType: t.code, .sex: s.code], count: v)
                        }
                    }
                }
            }
        }
        return counts
    }

    /// The solver's verdict on what `answer` publishes: (hidden cells checked, cells pinned).
    static func attack(scale: Int = 1, stopAfter: Int? = nil, _ answer: (ReportingPeriod, [StatisticsDimension]) -> StatisticsReport?)
        throws -> (hidden: Int, pinned: [String], disagreements: Int) {
        let counts = counts(scale: scale)
        let published = PublishedYear(year: 2025, breakdowns: breakdowns, categories: categories, threshold: 5, truth: counts.truth,
                                      answer: answer)
        let directory = TemporaryDirectory("haven-stats-attack")
        defer { directory.remove() }
        let file = directory.file("published.json")
        try published.json().write(to: URL(fileURLWithPath: file))
        let arguments = (stopAfter.map { ["--stop-after", String($0)] } ?? []) + [file]
        let lines = try VectorScript.text("stats-attack.py", arguments: arguments).split(separator: "\n").map(String.init)
        let summary = try #require(lines.last?.split(separator: " "))
        #expect(summary.count == 5 && summary[0] == "checked" && Int(summary[1]) == published.hidden.count, "\(lines.suffix(3))")
        #expect(Int(summary[4]) == lines.filter { $0.hasPrefix("pinned ") }.count)
        return (published.hidden.count, lines.filter { $0.hasPrefix("pinned ") }, published.disagreements)
    }

    /// A sparse year (published by quarter) and a fuller one (by month).
    @Test(.enabled(if: scipy, "needs python3 with scipy (Debian: python3-scipy)"), arguments: [1, 12])
    func everyOrderOfEveryBreakdownPinsNoHiddenCellOfAJointRelease(scale: Int) throws {
        let release = try IncidentRelease.release(year: 2025, counts: Self.counts(scale: scale), breakdowns: Self.breakdowns,
                                                  categories: Self.categories, threshold: 5)
        let (hidden, pinned, disagreements) = try Self.attack(scale: scale) { period, dims in
            try? IncidentRelease.answer(period: period, dimensions: dims, from: release)
        }
        #expect(disagreements == 0)
        #expect(hidden > 0)
        #expect(pinned.isEmpty, "\(pinned.prefix(10))")
        print("joint release by \(release.publishedBy): \(hidden) hidden cells, \(pinned.count) pinned")
    }

    /// The same year, each order asked answered as its own release (the method before): the
    /// solver pins hidden cells, so it is an attack that can succeed.
    @Test(.enabled(if: scipy, "needs python3 with scipy (Debian: python3-scipy)"))
    func separateReleasesPerOrderArePinnedByTheSameAttack() throws {
        let counts = Self.counts()
        // Three pinned cells show the leak; finding every one takes minutes.
        let (hidden, pinned, disagreements) = try Self.attack(stopAfter: 3) { period, dims in
            try? IncidentRelease.answer(period: period, dimensions: dims, counts: counts, categories: Self.categories, threshold: 5)
        }
        #expect(pinned.count == 3, "\(pinned)")
        print("separate releases per order: \(hidden) hidden cells, at least \(pinned.count) pinned,"
              + " \(disagreements) cells shown differently by two orders")
    }
}
