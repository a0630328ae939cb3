import Foundation
@testable import HavenStats

/// Everything an analyst can be shown of one year, gathered as an attacker would: every
/// breakdown and every part of one, asked in every order, for every month, quarter and the
/// year, through the answers alone. Each fact is one shown cell: the months it adds up, the
/// values it fixes, and what a reader knows of it. Both auditors read only these facts.
struct PublishedYear {
    struct Fact: Hashable {
        let months: [Int]
        let cells: [StatisticsDimension: String]
        let shown: String
        let low: Int
        /// Nil: no upper bound (`x`).
        let high: Int?
    }

    let threshold: Int
    let categories: [StatisticsDimension: [String]]
    private(set) var facts: [Fact] = []
    /// Cells shown differently by two answers (never, from one release).
    private(set) var disagreements = 0

    /// `answer` gives the analyst's answer to a query, nil when refused; `truth` the true
    /// count of a cell, used only to give the reader the tightest bounds a `<k` allows
    /// (1 to k−1 for a count, 0 to k−1 for a hidden zero): a stronger reader than a real one.
    init(year: Int, breakdowns: [[StatisticsDimension]], categories: [StatisticsDimension: [Category]], threshold k: Int,
         truth: ([Int], [StatisticsDimension: String]) -> Int,
         answer: (ReportingPeriod, [StatisticsDimension]) -> StatisticsReport?) {
        threshold = k
        var codes = [StatisticsDimension: [String]]()
        for d in Set(breakdowns.joined()) { codes[d] = categories[d]!.map(\.code) }
        self.categories = codes
        var asked = Set<[StatisticsDimension]>()
        for b in breakdowns {
            for mask in 1..<(1 << b.count) {
                for order in Self.permutations(b.indices.filter { mask & (1 << $0) != 0 }.map { b[$0] }) { asked.insert(order) }
            }
        }
        var periods: [ReportingPeriod] = (1...12).map { .month(ReportingMonth(year: year, month: $0)!) }
        periods += (1...4).map { .quarter(year: year, quarter: $0) } + [.year(year)]
        var byCell = [String: String]()
        for dims in asked.sorted(by: { $0.map(\.rawValue).joined(separator: ",") < $1.map(\.rawValue).joined(separator: ",") }) {
            for period in periods {
                guard let report = answer(period, dims) else { continue }
                for row in report.rows {
                    var cells = [StatisticsDimension: String]()
                    for (d, v) in zip(dims, row.groups) where v != StatisticsDimension.all { cells[d] = v }
                    let months = Array(period.months)
                    let key = "\(months) \(cells.sorted { $0.key.rawValue < $1.key.rawValue })"
                    if let before = byCell[key] {
                        if before != row.shown { disagreements += 1 } else { continue }
                    }
                    byCell[key] = row.shown
                    let fact: Fact
                    if let n = row.count {
                        fact = Fact(months: months, cells: cells, shown: row.shown, low: n, high: n)
                    } else if row.shown == "x" {
                        fact = Fact(months: months, cells: cells, shown: "x", low: k, high: nil)
                    } else {
                        fact = Fact(months: months, cells: cells, shown: row.shown, low: truth(months, cells) == 0 ? 0 : 1, high: k - 1)
                    }
                    facts.append(fact)
                }
            }
        }
    }

    var hidden: [Fact] { facts.filter { $0.low != $0.high } }

    static func permutations(_ items: [StatisticsDimension]) -> [[StatisticsDimension]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i in
            permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
        }
    }

    /// The JSON `scripts/stats-attack.py` reads.
    func json() throws -> Data {
        let dims = Dictionary(uniqueKeysWithValues: categories.map { ($0.key.rawValue, $0.value) })
        let list: [[String: Any]] = facts.map { f in
            ["months": f.months, "cells": Dictionary(uniqueKeysWithValues: f.cells.map { ($0.key.rawValue, $0.value) }),
             "low": f.low, "high": f.high.map { $0 as Any } ?? NSNull()]
        }
        return try JSONSerialization.data(withJSONObject: ["threshold": threshold, "dimensions": dims, "facts": list],
                                          options: [.sortedKeys])
    }
}

extension IncidentCounts {
    /// The true count of the records of `months` (1–12) holding every value of `cells`.
    func truth(_ months: [Int], _ cells: [StatisticsDimension: String]) -> Int {
        months.reduce(0) { sum, m in
            sum + byMonth[m - 1].reduce(0) { s, e in cells.allSatisfy { e.key[$0.key] == $0.value } ? s + e.value : s }
        }
    }
}
