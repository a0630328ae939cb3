/// Reads the answer to one query off a year's release, and nothing else: every cell of the
/// answer is a cell of a published table, looked up by the SET of dimensions it counts by,
/// so the order of `--by` changes where rows appear, never what they show.
extension IncidentRelease {
    /// The answer to one query, read from a release only: refused (Refusal) when the query's dimension SET is not one of the release's breakdowns (or a margin of one: a subset is fine), or is finer than `publishedBy` allows. Rows come out in the order of `dimensions` as asked, but the numbers and statuses depend only on the set.
    public static func answer(period: ReportingPeriod, dimensions: [StatisticsDimension],
                              from release: YearRelease) throws(Refusal) -> StatisticsReport {
        let asked = dimensions.map(\.rawValue).joined(separator: ",")
        guard period.year == release.year else {
            throw Refusal(message: "this release is of \(release.year), not \(period.year)", hint: "ask the release of \(period.year)")
        }
        guard Set(dimensions).count == dimensions.count, !dimensions.isEmpty else {
            throw Refusal(message: "name each dimension once", hint: "for example --by incident_type,province")
        }
        let inner = dimensions.filter { $0 != .month }
        let byMonth = dimensions.contains(.month)
        guard release.breakdowns.contains(where: { Set(inner).isSubset(of: $0) }) else {
            throw Refusal(message: "\(release.year) is not published by \(asked)",
                          hint: "the breakdowns published are " + release.breakdowns.map { $0.map(\.rawValue).joined(separator: ",") }
                              .joined(separator: "; ") + ", and any part of one")
        }
        let k = release.threshold
        let periodTable: Int
        switch period {
        case .month(let m): periodTable = m.month - 1
        case .quarter(_, let q): periodTable = 11 + q
        case .year: periodTable = 16
        }
        let available = YearRelease.periods(release.publishedBy)
        guard available.contains(periodTable), !byMonth || release.publishedBy == "month" else {
            throw Refusal(message: "\(period.year) by \(asked) is published only by \(release.publishedBy): a finer table would"
                          + " reveal a small count",
                          hint: release.publishedBy == "year" ? "ask for the year, \(period.year)-01 to \(period.year)-12, without month"
                              : "ask for a whole quarter or the year, without month")
        }
        var shown = [(table: Int, month: String)]()
        if byMonth {
            for m in period.months { shown.append((m - 1, ReportingMonth(year: period.year, month: m)!.description)) }
            if period.months.count > 1 { shown.append((periodTable, StatisticsDimension.all)) }
        } else {
            shown.append((periodTable, period.description))
        }

        // Rows: every combination of the values of all but the last inner dimension, then their
        // total; columns: the last one's values, then their total (one column when only the
        // month was asked for). A value index per dimension, nil for `all`.
        let rowDimensions = Array(inner.dropLast())
        let columnDimension = inner.last
        var rowValues: [[Int?]] = [[]]
        for d in rowDimensions { rowValues = rowValues.flatMap { prefix in (0..<release.size(d)).map { prefix + [$0] } } }
        if !rowDimensions.isEmpty { rowValues.append(rowDimensions.map { _ in nil }) }
        let columnValues: [Int?] = columnDimension.map { d in (0..<release.size(d)).map { Optional($0) } + [nil] } ?? [nil]
        // The release's tables by period and set, looked up once per cell.
        var tableAt = [[Int]: Int]()
        for (i, t) in release.tables.enumerated() { tableAt[[t.period] + t.dimensions.map(\.order)] = i }
        var out = ReportRows(threshold: k)
        for (period, monthLabel) in shown {
            for r in rowValues {
                for c in columnValues {
                    let value = r + (columnDimension == nil ? [] : [c])
                    var set = [(StatisticsDimension, Int)]()
                    for (d, v) in zip(inner, value) { if let v { set.append((d, v)) } }
                    set.sort { $0.0.order < $1.0.order }
                    guard let at = tableAt[[period] + set.map(\.0.order)] else { throw ReleaseReader.damaged }
                    let table = release.tables[at]
                    var index = 0
                    for (d, v) in set { index = index * release.size(d) + v }
                    guard index < table.cells.count else { throw ReleaseReader.damaged }
                    let cell = table.cells[index]
                    var groups = [String]()
                    var i = 0
                    for d in dimensions {
                        if d == .month { groups.append(monthLabel); continue }
                        groups.append(value[i].map { release.categories[d]![$0].code } ?? StatisticsDimension.all)
                        i += 1
                    }
                    out.append(groups, cell.status, count: cell.count ?? 0)
                }
            }
        }
        let (small, complementary) = (out.small, out.complementary)
        var why = [String]()
        if small > 0 { why.append("\(small) cells counted fewer than \(k) survivors and are shown as <\(k)") }
        if complementary > 0 {
            why.append("\(complementary) further cells are shown as x so that no <\(k) cell can be worked out from the totals,"
                       + " or from this year's other tables, months, quarters and year")
        }
        var labels = [StatisticsReport.DimensionLabels]()
        for d in inner { labels.append(.init(dimension: d.rawValue, label: d.label, values: release.categories[d] ?? [])) }
        return StatisticsReport(period: period.description, from: period.first.description, to: period.last.description,
                                dimensions: dimensions.map(\.rawValue), threshold: k, publishedBy: release.publishedBy,
                                rows: out.rows, suppressed: .init(small: small, complementary: complementary, why: why),
                                labels: labels, method: method(k))
    }
}
