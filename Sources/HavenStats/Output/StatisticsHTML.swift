/// A self-contained HTML page: the table, and an inline SVG bar chart of the first
/// dimension's totals. No script, no stylesheet or font from elsewhere, nothing fetched:
/// it can be mailed, archived and opened offline. Every text is escaped, and the page is
/// also well-formed XML (polyglot XHTML), which lets a test check it with an XML parser.
public enum StatisticsHTML {
    public static func render(_ report: StatisticsReport, language: String = "en") -> String {
        let words = StatisticsWords(language)
        let title = words.language == "en" ? "Incidents, \(report.period), by \(report.dimensions.joined(separator: ", "))"
            : words.title(period: report.period, from: report.from, to: report.to, dimensions: report.dimensions)
        var out = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="\(escape(language))">
        <head>
        <meta charset="utf-8" />
        <title>\(escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 2em; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #999; padding: 0.25em 0.6em; }
        td.count { text-align: right; }
        tr.total td { font-weight: bold; }
        td.hidden { color: #666; font-style: italic; }
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>
        <p>\(escape(words.method(threshold: report.threshold) ?? "\(report.from) to \(report.to). \(report.method)"))</p>

        """
        out += chart(report, language: language)
        out += "<table>\n<thead><tr>"
        for d in report.dimensions { out += "<th>\(escape(words.dimension(d)))</th>" }
        out += "<th>\(escape(words.count))</th></tr></thead>\n<tbody>\n"
        for row in report.rows {
            let total = row.groups.contains(StatisticsDimension.all)
            out += total ? "<tr class=\"total\">" : "<tr>"
            for (d, code) in zip(report.dimensions, row.groups) {
                out += "<td>\(escape(d == "month" && code != "all" ? words.monthName(code) : report.label(d, code, language: language)))</td>"
            }
            out += row.count == nil ? "<td class=\"count hidden\">\(escape(row.shown))</td>" : "<td class=\"count\">\(escape(row.shown))</td>"
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if words.language == "en" {
            for reason in report.suppressed.why { out += "<p>\(escape(reason)).</p>\n" }
        } else {
            for line in words.legend(small: report.suppressed.small, complementary: report.suppressed.complementary,
                                     threshold: report.threshold) { out += "<p>\(escape(line))</p>\n" }
        }
        out += "</body>\n</html>\n"
        return out
    }

    /// Bars for the first dimension's values, over every other dimension (its totals): a
    /// hidden total is drawn as a label without a bar, never as a length; zeros are not drawn.
    static func chart(_ report: StatisticsReport, language: String) -> String {
        guard let first = report.dimensions.first else { return "" }
        let totals = report.rows.filter { row in
            row.groups[0] != StatisticsDimension.all && row.groups.dropFirst().allSatisfy { $0 == StatisticsDimension.all }
        }
        // Values counted 0 are left out of the chart (a province list is long); the table has them.
        let bars = totals.filter { $0.count != 0 }
        guard !bars.isEmpty else { return "" }
        let largest = max(1, bars.compactMap(\.count).max() ?? 1)
        let barHeight = 22, labelWidth = 260, barWidth = 400
        let height = bars.count * barHeight + 10
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + barWidth + 80)\" height=\"\(height)\""
            + " role=\"img\" aria-label=\"\(escape(StatisticsWords(language).incidents + ": " + StatisticsWords(language).dimension(first)))\">\n"
        for (i, row) in bars.enumerated() {
            let y = 5 + i * barHeight
            let label = first == "month" ? StatisticsWords(language).monthName(row.groups[0]) : report.label(first, row.groups[0], language: language)
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" font-size=\"13\">\(escape(label))</text>\n"
            if let count = row.count {
                let w = count * barWidth / largest
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(barHeight - 6)\" fill=\"#3b6ea5\"></rect>\n"
                svg += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 15)\" font-size=\"13\">\(count)</text>\n"
            } else {
                svg += "<text x=\"\(labelWidth + 6)\" y=\"\(y + 15)\" font-size=\"13\" font-style=\"italic\">\(escape(row.shown)) (\(escape(StatisticsWords(language).hidden)))</text>\n"
            }
        }
        svg += "</svg>\n"
        let zeros = totals.count - bars.count
        return zeros == 0 ? svg : svg + "<p>\(escape(StatisticsWords(language).zerosNotDrawn(zeros)))</p>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
