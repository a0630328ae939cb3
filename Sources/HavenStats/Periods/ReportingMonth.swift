/// A calendar month, the finest time any statistic is published at.
public struct ReportingMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 to 12.
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...2100).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// `YYYY-MM`, or the month of a `YYYY-MM-DD` date.
    public init?(_ text: String) {
        let head = text.utf8.count == 10 ? String(text.prefix(7)) : text
        guard head.utf8.count == 7, Array(head.utf8)[4] == UInt8(ascii: "-"),
              let y = Int(head.prefix(4)), let m = Int(head.suffix(2)) else { return nil }
        if text.utf8.count == 10 && CalendarDate(text) == nil { return nil }
        self.init(year: y, month: m)
    }

    /// Months since year 0, as the encoding stores it.
    public var index: Int { year * 12 + month - 1 }

    public init?(index: Int) {
        self.init(year: index / 12, month: index % 12 + 1)
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (a: ReportingMonth, b: ReportingMonth) -> Bool { a.index < b.index }
}
