import ArgumentParser
import Foundation
import HavenStats

/// `haven-bench release`: the time to compute a year's statistics release (HavenStats
/// METHOD.md) for a national policy's breakdowns over seeded counts, pure computation, no
/// vault: what the daemon spends once per year after the year ends.
struct ReleaseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "A year's statistics release over realistic breakdowns, protected together (no vault).")

    @Option(parsing: .upToNextOption, help: "Records counted in the year.") var records: [Int] = [10_000, 100_000, 1_000_000]
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    static let sizes: [StatisticsDimension: Int] = [.province: 18, .ageGroup: 7, .incidentType: 7, .sex: 3, .perpetratorRelationship: 8]
    /// Breakdowns a national report asks for.
    static let policies: [(name: String, breakdowns: [[StatisticsDimension]])] = [
        ("four of 2", [[.province, .ageGroup], [.province, .incidentType], [.ageGroup, .sex], [.incidentType, .perpetratorRelationship]]),
        ("age,sex,type", [[.ageGroup, .sex, .incidentType]]),
        ("three of 3", [[.province, .ageGroup, .incidentType], [.province, .sex, .incidentType], [.ageGroup, .sex, .perpetratorRelationship]]),
        ("four of 3", [[.province, .ageGroup, .incidentType], [.province, .sex, .incidentType], [.ageGroup, .sex, .perpetratorRelationship],
                       [.incidentType, .perpetratorRelationship, .province]]),
        ("one of 4", [[.province, .ageGroup, .sex, .incidentType]]),
    ]

    func run() throws {
        var categories = [StatisticsDimension: [Category]]()
        for (d, n) in Self.sizes { categories[d] = (0..<n).map { Category(code: "\(d.rawValue)-\($0)", en: "\($0)") } }
        var table = ResultTable(columns: ["records", "breakdowns", "published by", "release s", "cells", "<5", "x", "bytes"])
        for size in smoke ? [500] : records {
            let counts = Self.seed(size, categories)
            for policy in smoke ? [Self.policies[0]] : Self.policies {
                var outcome: Result<YearRelease, IncidentRelease.Refusal>!
                let took = seconds {
                    outcome = Result { () throws(IncidentRelease.Refusal) in
                        try IncidentRelease.release(year: 2025, counts: counts, breakdowns: policy.breakdowns, categories: categories,
                                                    threshold: 5)
                    }
                }
                switch outcome! {
                case .success(let r):
                    let cells = r.tables.flatMap(\.cells)
                    table.add([String(size), policy.name, r.publishedBy, format(took, 2), String(cells.count),
                               String(cells.filter { $0.status == .small }.count), String(cells.filter { $0.status == .complementary }.count),
                               String(r.encoded().count)])
                case .failure(let refusal):
                    table.add([String(size), policy.name, "refused", format(took, 2), "-", "-", "-", refusal.message])
                }
            }
        }
        table.print()
    }

    /// A year of records spread as survivors are: most in a few provinces, adults, girls and
    /// women, partners; a fixed sequence, so every run counts the same year.
    static func seed(_ n: Int, _ categories: [StatisticsDimension: [Category]]) -> IncidentCounts {
        var counts = IncidentCounts(year: 2025)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Skewed: the smaller of two draws favours the first values.
            let a = Int((state >> 33) % UInt64(bound))
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return min(a, Int((state >> 33) % UInt64(bound)))
        }
        for _ in 0..<n {
            var values = [StatisticsDimension: String]()
            for d in categories.keys.sorted(by: { $0.rawValue < $1.rawValue }) { values[d] = categories[d]![next(categories[d]!.count)].code }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            counts.add(month: Int((state >> 33) % 12) + 1, values: values)
        }
        return counts
    }
}
