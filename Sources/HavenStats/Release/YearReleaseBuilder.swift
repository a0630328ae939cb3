/// Computes a year's release: every breakdown the policy allows, every margin of each, at the
/// finest granularity (month, else quarter, else year) at which all of them can be protected
/// together; else nothing.
extension IncidentRelease {
    /// `breakdowns`: the dimension sets the policy allows (any order given; canonicalised; no .month).
    public static func release(year: Int, counts: IncidentCounts, breakdowns: [[StatisticsDimension]],
                               categories: [StatisticsDimension: [Category]], threshold k: Int) throws(Refusal) -> YearRelease {
        precondition(counts.year == year && k >= 2)
        var canonical = Set<[StatisticsDimension]>()
        for b in breakdowns {
            let set = StatisticsDimension.canonical(b)
            guard !set.isEmpty, !set.contains(.month), Set(set).count == set.count, set.count <= maximumDimensions else {
                throw Refusal(message: "a breakdown must name 1 to \(maximumDimensions) dimensions other than month, each once",
                              hint: "check the breakdowns statistics.yaml allows")
            }
            canonical.insert(set)
        }
        guard !canonical.isEmpty else {
            throw Refusal(message: "no breakdown is allowed", hint: "statistics.yaml lists the breakdowns that may be published")
        }
        let sorted = canonical.sorted { $0.map(\.order).lexicographicallyPrecedes($1.map(\.order)) }
        let union = StatisticsDimension.canonical(Array(Set(sorted.joined())))
        var used = [StatisticsDimension: [Category]]()
        for d in union { used[d] = categories[d] ?? [] }
        let tabulation = CrossTabulation(counts, dimensions: union, categories: used)
        let sets = YearRelease.sets(of: sorted)
        for set in sets where tabulation.cellCount(set) > maximumCells {
            throw Refusal(message: "the breakdown by \(set.map(\.rawValue).joined(separator: ",")) has \(tabulation.cellCount(set))"
                          + " cells per table, more than \(maximumCells)", hint: "allow breakdowns by fewer dimensions")
        }
        for granularity in YearRelease.granularities {
            let periods = YearRelease.periods(granularity)
            guard let status = JointSuppression.apply(tabulation, sets: sets, periods: periods, threshold: k) else { continue }
            var tables = [YearRelease.Table]()
            for (pi, period) in periods.enumerated() {
                for (si, set) in sets.enumerated() {
                    let values = tabulation.table(set, months: CrossTabulation.months(of: period))
                    let cells = zip(values, status[pi * sets.count + si]).map { v, s in
                        YearRelease.PublishedCell(status: s, count: s == .published ? v : nil)
                    }
                    tables.append(YearRelease.Table(period: period, dimensions: set, cells: cells))
                }
            }
            return YearRelease(year: year, threshold: k, publishedBy: granularity, breakdowns: sorted, categories: used, tables: tables)
        }
        throw Refusal(message: "\(year) cannot be published by the allowed breakdowns without revealing a small count,"
                      + " even as yearly tables", hint: "allow breakdowns by fewer dimensions")
    }
}
