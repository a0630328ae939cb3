/// The periods statistics are published for: a whole month, a whole calendar quarter or a
/// whole calendar year, and nothing in between. Every period of one year is published
/// from one release, suppressed across all of them (METHOD.md), so no two answers can be
/// subtracted to recover a hidden cell; an arbitrary range (March to May) would be a table
/// outside that release, and is refused.
public enum ReportingPeriod: Sendable, Equatable, CustomStringConvertible {
    case month(ReportingMonth)
    case quarter(year: Int, quarter: Int)
    case year(Int)

    /// Why a `--from`/`--to` pair is not a period.
    public struct Refusal: Error, Sendable, Equatable {
        public let message: String
    }

    /// The period from `from` to `to`, both included: each a month (`YYYY-MM`) or a quarter
    /// (`YYYY-Qn`, as the period is written back), which stands for its first month in `from`
    /// and its last in `to` (`--from 2026-Q3 --to 2026-Q3` is that quarter).
    public static func parse(from: String, to: String) throws(Refusal) -> ReportingPeriod {
        guard let start = ReportingMonth(from).flatMap({ from.utf8.count == 7 ? $0 : nil }) ?? quarter(from)?.first else {
            throw Refusal(message: "--from must be a month, YYYY-MM, or a quarter, YYYY-Qn (1900-2100)")
        }
        guard let end = ReportingMonth(to).flatMap({ to.utf8.count == 7 ? $0 : nil }) ?? quarter(to)?.last else {
            throw Refusal(message: "--to must be a month, YYYY-MM, or a quarter, YYYY-Qn (1900-2100)")
        }
        guard start <= end else { throw Refusal(message: "--from \(start) is after --to \(end)") }
        if start == end { return .month(start) }
        if start.year == end.year {
            if start.month == 1 && end.month == 12 { return .year(start.year) }
            if (start.month - 1) % 3 == 0 && end.month == start.month + 2 { return .quarter(year: start.year, quarter: (start.month - 1) / 3 + 1) }
        }
        throw Refusal(message: "\(start) to \(end) is not a whole month, quarter or year: statistics are published only for"
                      + " those, so that no two answers can be subtracted from each other")
    }

    /// `YYYY-Qn` (or `YYYY-qn`), n from 1 to 4.
    static func quarter(_ text: String) -> ReportingPeriod? {
        let u = Array(text.utf8)
        guard u.count == 7, u[4] == UInt8(ascii: "-"), u[5] == UInt8(ascii: "Q") || u[5] == UInt8(ascii: "q"),
              let y = Int(text.prefix(4)), let q = Int(text.suffix(1)), (1...4).contains(q),
              ReportingMonth(year: y, month: 1) != nil else { return nil }
        return .quarter(year: y, quarter: q)
    }

    public var year: Int {
        switch self {
        case .month(let m): return m.year
        case .quarter(let y, _): return y
        case .year(let y): return y
        }
    }

    /// The months it covers, 1 to 12.
    public var months: ClosedRange<Int> {
        switch self {
        case .month(let m): return m.month...m.month
        case .quarter(_, let q): return (3 * q - 2)...(3 * q)
        case .year: return 1...12
        }
    }

    public var first: ReportingMonth { ReportingMonth(year: year, month: months.lowerBound)! }
    public var last: ReportingMonth { ReportingMonth(year: year, month: months.upperBound)! }

    /// `2026-03`, `2026-Q1` or `2026`.
    public var description: String {
        switch self {
        case .month(let m): return m.description
        case .quarter(let y, let q): return "\(y)-Q\(q)"
        case .year(let y): return String(y)
        }
    }
}
