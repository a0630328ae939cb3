/// The one reading of a calendar date typed by a person, shared by a date field's value and
/// a searched date of birth (`record find --dob`), so a date that finds a record is a date
/// the record accepts. ISO `YYYY-MM-DD` (or `YYYY/MM/DD`), or day first as in Lao PDR and
/// Viet Nam: `15/08/1995`, `15-08-1995`, `15.08.1995`, `15 08 1995`, one-digit days and
/// months too. The month is never put first: `08/15/1995` is refused, not read as 15 August,
/// and `01/02/2020` is 1 February. The year is four digits, within `DateBounds`.
public enum CalendarDate {
    /// The forms accepted, for a refusal's hint.
    public static let accepted = "YYYY-MM-DD, or day first: DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY"

    /// `YYYY-MM-DD`, or nil when `text` is no real date of a form above (31/02/2020,
    /// 2020-13-01, a two-digit year).
    public static func iso(_ text: String) -> String? {
        let blank = { (s: Unicode.Scalar) in s == "\t" || s.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars.drop(while: blank).reversed().drop(while: blank).reversed()
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: scalars)
        let parts = String(trimmed).split(whereSeparator: { "-/. ".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let yearFirst = parts[0].count == 4
        guard yearFirst || parts[2].count == 4 else { return nil }
        let (y, m, d) = yearFirst ? (numbers[0], numbers[1], numbers[2]) : (numbers[2], numbers[1], numbers[0])
        guard (1900...2100).contains(y), (1...12).contains(m), (1...Int(CivilDate.daysIn(month: Int64(m), year: Int64(y)))).contains(d) else {
            return nil
        }
        // Written out by hand: String(format:) costs more than the rest of this function,
        // and an index rebuild calls it once per record.
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
    }
}
