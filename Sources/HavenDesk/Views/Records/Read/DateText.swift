/// Dates as people at the centres write them: day, month, year (DD/MM/YYYY) in all three
/// languages, and moments in UTC to the minute, as havend keeps them. A value that is not a
/// date is shown as it is (escaped like any text), never dropped.
public enum DateText {
    /// `1998-03-07` reads `07/03/1998`.
    public static func day(_ value: String) -> String {
        let parts = value.prefix(10).split(separator: "-")
        guard value.count >= 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return value }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// `2026-12-07T22:30:23Z` reads `07/12/2026 22:30 UTC`.
    public static func moment(_ value: String) -> String {
        guard value.count >= 16, let t = value.firstIndex(of: "T") else { return day(value) }
        let time = value[value.index(after: t)...].prefix(5)
        guard time.count == 5, time.contains(":") else { return value }
        return day(String(value[..<t])) + " " + time + " UTC"
    }
}
