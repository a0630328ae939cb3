/// Statistics as published: a year's release over every allowed breakdown, protected
/// together (`release`, `JointSuppression`), and the answer to one query read off it
/// (`answer(period:dimensions:from:)`). Two queries of one year read the same release, so
/// their answers agree wherever they overlap, whatever order they list dimensions in.
public enum IncidentRelease {
    /// Why a query cannot be answered.
    public struct Refusal: Error, Sendable, Equatable {
        public let message: String
        public let hint: String
    }

    /// At most this many counts per table (rows × columns): suppression's search grows with it.
    public static let maximumCells = 5000
    public static let maximumDimensions = 4

    /// The dimensions of `--by`, checked: known, not repeated, not too many.
    public static func dimensions(_ raw: [String]) throws(Refusal) -> [StatisticsDimension] {
        guard raw.count <= maximumDimensions else {
            throw Refusal(message: "at most \(maximumDimensions) dimensions at once", hint: "a table finer than that is mostly hidden cells")
        }
        var out = [StatisticsDimension]()
        for name in raw {
            guard let d = StatisticsDimension(rawValue: name) else {
                // Echoed only when it is short, plain ASCII: an error line is not a channel.
                let shown = name.utf8.count <= 40 && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
                throw Refusal(message: "unknown dimension '\(shown ? name : "?")'",
                              hint: "one of: \(StatisticsDimension.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !out.contains(d) else { throw Refusal(message: "dimension '\(name)' is given twice", hint: "name each once") }
            out.append(d)
        }
        guard !out.isEmpty else {
            throw Refusal(message: "no dimension to count by", hint: "for example --by incident_type,province")
        }
        guard out.count <= maximumDimensions else {
            throw Refusal(message: "at most \(maximumDimensions) dimensions at once", hint: "a table finer than that is mostly hidden cells")
        }
        return out
    }

    /// The granularities tried, finest first.
    enum Granularity: String {
        case month, quarter, year
    }

    /// The method before a year's release: this breakdown, in this order, suppressed on its
    /// own across its months, quarters and year. Another order or another breakdown is
    /// another release, and together they can give hidden cells away (`ExactAttackTests`);
    /// kept only until every caller answers from a `YearRelease` (`answer(period:dimensions:from:)`).
    public static func answer(period: ReportingPeriod, dimensions: [StatisticsDimension], counts: IncidentCounts,
                              categories: [StatisticsDimension: [Category]], threshold k: Int) throws(Refusal) -> StatisticsReport {
        precondition(counts.year == period.year)
        let inner = dimensions.filter { $0 != .month }
        let byMonth = dimensions.contains(.month)
        // Rows: every combination of the values of all but the last inner dimension; columns:
        // the last one's values (one column, the total, when only the month was asked for).
        let columnDimension = inner.last
        let rowDimensions = Array(inner.dropLast())
        let codes = inner.map { d in (categories[d] ?? []).map(\.code) }
        let columnCodes = columnDimension == nil ? [StatisticsDimension.all] : codes.last!
        var rowCodes: [[String]] = [[]]
        for values in codes.dropLast() { rowCodes = rowCodes.flatMap { prefix in values.map { prefix + [$0] } } }
        guard rowCodes.count * columnCodes.count <= maximumCells else {
            throw Refusal(message: "this breakdown has \(rowCodes.count * columnCodes.count) cells per table, more than \(maximumCells)",
                          hint: "count by fewer dimensions")
        }
        var rowIndex = [[String]: Int]()
        for (i, r) in rowCodes.enumerated() { rowIndex[r] = i }
        var columnIndex = [String: Int]()
        for (i, c) in columnCodes.enumerated() { columnIndex[c] = i }
        let known = inner.map { d in Set((categories[d] ?? []).map(\.code)) }
        // Where a value the categories do not list is counted: not_recorded, or (age groups,
        // which have no such category) unknown; never dropped.
        let fallback = known.map { $0.contains(StatisticsDimension.notRecorded) || !$0.contains("unknown")
            ? StatisticsDimension.notRecorded : "unknown" }

        var months = [MarginalTable]()
        for m in 0..<12 {
            var grid = [[Int]](repeating: [Int](repeating: 0, count: columnCodes.count), count: rowCodes.count)
            for (values, n) in counts.byMonth[m] {
                let codes = inner.enumerated().map { i, d in values[d].flatMap { known[i].contains($0) ? $0 : nil } ?? fallback[i] }
                let column = columnDimension == nil ? 0 : columnIndex[codes.last!]
                guard let column, let row = rowIndex[Array(codes.dropLast(columnDimension == nil ? 0 : 1))] else { continue }
                grid[row][column] += n
            }
            months.append(MarginalTable(grid))
        }

        // The finest release of the year that can be protected as a whole.
        var chosen: (Granularity, SuppressedHierarchy)?
        for g in [Granularity.month, .quarter, .year] {
            let h: TableHierarchy
            switch g {
            case .month: h = .calendarYear(months: months)
            case .quarter: h = TableHierarchy(leaves: (0..<4).map { q in MarginalTable.sum(Array(months[(3 * q)..<(3 * q + 3)])) },
                                              groups: [], top: true)
            case .year: h = TableHierarchy(single: MarginalTable.sum(months))
            }
            let s = HierarchySuppression.apply(h, threshold: k)
            if s.unprotectable.isEmpty { chosen = (g, s); break }
        }
        guard let (granularity, release) = chosen else {
            throw Refusal(message: "\(period.year) by \(dimensions.map(\.rawValue).joined(separator: ",")) cannot be published"
                          + " without revealing a small count, even as one yearly table",
                          hint: "count by fewer dimensions")
        }
        // Which tables of the release the period shows: (table, its month label).
        func index(_ g: Granularity, month: Int? = nil, quarter: Int? = nil) -> Int? {
            switch (granularity, g) {
            case (.month, .month): return month! - 1
            case (.month, .quarter): return 11 + quarter!
            case (.month, .year): return 16
            case (.quarter, .quarter): return quarter! - 1
            case (.quarter, .year): return 4
            case (.year, .year): return 0
            default: return nil
            }
        }
        var shown = [(table: Int, month: String)]()
        let periodTable: Int?
        switch period {
        case .month(let m): periodTable = index(.month, month: m.month)
        case .quarter(_, let q): periodTable = index(.quarter, quarter: q)
        case .year: periodTable = index(.year)
        }
        let tooFine = Refusal(message: "\(period.year) by \(dimensions.map(\.rawValue).joined(separator: ",")) is published only by"
                              + " \(granularity.rawValue): a finer table would reveal a small count",
                              hint: granularity == .year ? "ask for the year, \(period.year)-01 to \(period.year)-12, without month"
                                  : "ask for a whole quarter or the year, without month")
        guard let periodTable else { throw tooFine }
        if byMonth {
            guard granularity == .month else { throw tooFine }
            for m in period.months { shown.append((m - 1, ReportingMonth(year: period.year, month: m)!.description)) }
            if period.months.count > 1 { shown.append((periodTable, StatisticsDimension.all)) }
        } else {
            shown.append((periodTable, period.description))
        }

        // The cells, in the order of the dimensions as asked.
        let single = rowDimensions.isEmpty
        var out = ReportRows(threshold: k)
        for (table, monthLabel) in shown {
            let t = release.hierarchy.tables[table]
            for r in 0...t.rowCount {
                for c in 0...t.columnCount {
                    // One row: its column totals are its cells again; no inner dimension: one number.
                    if single && r == t.rowCount { continue }
                    if columnDimension == nil && c == t.columnCount { continue }
                    var status = release.status(table, r, c)
                    if single, release.status(table, t.rowCount, c) != status {
                        // The same number in two places must be shown, or hidden, in both.
                        status = .complementary
                    }
                    let rowValues = r == t.rowCount ? rowDimensions.map { _ in StatisticsDimension.all } : rowCodes[r]
                    let columnValue = c == t.columnCount ? StatisticsDimension.all : columnCodes[c]
                    var byDimension = [StatisticsDimension: String]()
                    for (i, d) in rowDimensions.enumerated() { byDimension[d] = rowValues[i] }
                    if let columnDimension { byDimension[columnDimension] = columnValue }
                    byDimension[.month] = monthLabel
                    let groups = dimensions.map { byDimension[$0]! }
                    out.append(groups, status, count: t.value(r, c))
                }
            }
        }
        let (small, complementary) = (out.small, out.complementary)
        var why = [String]()
        if small > 0 { why.append("\(small) cells counted 1 to \(k - 1) survivors and are shown as <\(k)") }
        if complementary > 0 {
            why.append("\(complementary) further cells are shown as x so that no <\(k) cell can be worked out from the totals,"
                       + " or from this year's other months, quarters and year")
        }
        var labels = [StatisticsReport.DimensionLabels]()
        for d in dimensions where d != .month {
            labels.append(.init(dimension: d.rawValue, label: d.label, values: categories[d] ?? []))
        }
        return StatisticsReport(period: period.description, from: period.first.description, to: period.last.description,
                                dimensions: dimensions.map(\.rawValue), threshold: k, publishedBy: granularity.rawValue,
                                rows: out.rows, suppressed: .init(small: small, complementary: complementary, why: why),
                                labels: labels, method: Self.method(k))
    }

    static func method(_ k: Int) -> String {
        "Only records whose survivor consents to statistics are counted, once each (a record marked as already reported"
            + " to another service is not counted again). Counts from 1 to \(k - 1) are shown as <\(k), and so is a zero that"
            + " would say where a hidden count lies; further cells are hidden as x so that no hidden count can be worked out"
            + " from anything published for the year: every breakdown allowed, in any order, its totals, and every month,"
            + " quarter and the year are one release, computed once after the year ended and protected together."
    }
}
