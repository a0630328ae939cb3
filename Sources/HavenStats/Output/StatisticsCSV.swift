/// CSV (RFC 4180): a header row of the dimensions and `count`, then one row per cell; a
/// hidden cell's count is written as shown (`<5`, `x`), never as a number.
public enum StatisticsCSV {
    public static func render(_ report: StatisticsReport) -> String {
        var out = (report.dimensions + ["count"]).map(field).joined(separator: ",") + "\r\n"
        for row in report.rows {
            out += (row.groups + [row.shown]).map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@` is
    /// prefixed with `'`, so a spreadsheet never runs a code as a formula.
    static func field(_ s: String) -> String {
        var s = s
        if let first = s.first, "=+-@".contains(first) { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
