import HavenCore

/// A text table for a terminal: the period and breakdown, one line per cell with its
/// values' labels (cells of 0 left out, and counted below: a province list is long), then
/// how many cells are hidden and why, in the reader's language. Columns are padded by
/// display width, so Lao vowel and tone marks do not push a column out of line.
public enum StatisticsText {
    public static func render(_ report: StatisticsReport, language: String = "en") -> String {
        let words = StatisticsWords(language)
        let headers = report.dimensions.map(words.dimension) + [words.count]
        let shown = report.rows.filter { $0.count != 0 }
        let lines = shown.map { row in
            zip(report.dimensions, row.groups).map { d, code in
                d == "month" ? (code == StatisticsDimension.all ? words.all : words.monthName(code)) : report.label(d, code, language: language)
            } + [row.shown]
        }
        var out = words.title(period: report.period, from: report.from, to: report.to, dimensions: report.dimensions) + "\n\n"
        out += table(headers, lines)
        out += "\n"
        if shown.count < report.rows.count { out += words.zerosLeftOut(report.rows.count - shown.count) + "\n" }
        let legend = words.legend(small: report.suppressed.small, complementary: report.suppressed.complementary,
                                  threshold: report.threshold)
        if words.language == "en" {
            if report.suppressed.why.isEmpty { out += "No cell is hidden.\n" }
            for reason in report.suppressed.why { out += reason + ".\n" }
        } else {
            for line in legend { out += line + "\n" }
        }
        if report.publishedBy != "month" { out += words.publishedOnly(year: report.period.prefix(4), by: report.publishedBy) + "\n" }
        return out
    }

    /// Columns two spaces apart, each as wide as its widest cell in display columns; the
    /// last column (the counts) aligned right; a rule of dashes under the header.
    public static func table(_ headers: [String], _ lines: [[String]]) -> String {
        var widths = headers.map(DisplayWidth.of)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                DisplayWidth.pad(cell, to: widths[i], alignRight: i == cells.count - 1)
            }.joined(separator: "  ")
        }
        var out = format(headers) + "\n"
        out += format(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for line in lines { out += format(line) + "\n" }
        return out
    }
}
