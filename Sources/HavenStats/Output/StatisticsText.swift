/// A text table for a terminal: the period and breakdown, one line per cell with its
/// values' labels (cells of 0 left out, and counted below: a province list is long), then
/// how many cells are hidden and why.
public enum StatisticsText {
    public static func render(_ report: StatisticsReport, language: String = "en") -> String {
        let headers = report.dimensions.map { d in StatisticsDimension(rawValue: d)?.label ?? d } + ["Count"]
        let shown = report.rows.filter { $0.count != 0 }
        let lines = shown.map { row in
            zip(report.dimensions, row.groups).map { d, code in d == "month" ? (code == "all" ? "All" : code) : report.label(d, code, language: language) }
                + [row.shown]
        }
        var widths = headers.map(\.count)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == cells.count - 1 ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var out = "Incidents, \(report.period) (\(report.from) to \(report.to)), by \(report.dimensions.joined(separator: ", "))\n\n"
        out += format(headers) + "\n"
        out += format(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for line in lines { out += format(line) + "\n" }
        out += "\n"
        if shown.count < report.rows.count {
            out += "\(report.rows.count - shown.count) cells of 0 are not listed (--format csv lists every cell).\n"
        }
        if report.suppressed.why.isEmpty { out += "No cell is hidden.\n" }
        for reason in report.suppressed.why { out += reason + ".\n" }
        if report.publishedBy != "month" {
            out += "This breakdown is published for \(report.period.prefix(4)) by \(report.publishedBy) only.\n"
        }
        return out
    }
}
