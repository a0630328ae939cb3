/// The GBVIMS age groups of a survivor at the incident's reporting date.
public enum AgeGroup: String, Sendable, CaseIterable {
    case child = "0-11"
    case adolescent = "12-17"
    case youngAdult = "18-25"
    case adult = "26-40"
    case middleAged = "41-60"
    case older = "61+"
    case unknown

    /// The group of someone born on `birth` at `date`, both `YYYY-MM-DD`; unknown when the
    /// date of birth is missing, unreadable or after the date.
    public static func of(birth: String?, at date: String) -> AgeGroup {
        guard let birth, let b = CalendarDate(birth), let d = CalendarDate(date) else { return .unknown }
        var age = d.year - b.year
        if (d.month, d.day) < (b.month, b.day) { age -= 1 }
        switch age {
        case ..<0: return .unknown
        case 0...11: return .child
        case 12...17: return .adolescent
        case 18...25: return .youngAdult
        case 26...40: return .adult
        case 41...60: return .middleAged
        default: return .older
        }
    }
}

/// A `YYYY-MM-DD` date's parts, without a calendar library: statistics need only its month
/// and an age in whole years.
struct CalendarDate: Equatable {
    let year: Int
    let month: Int
    let day: Int

    init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(String(decoding: parts[0], as: UTF8.self)), let m = Int(String(decoding: parts[1], as: UTF8.self)),
              let d = Int(String(decoding: parts[2], as: UTF8.self)), (1...12).contains(m), (1...31).contains(d) else { return nil }
        year = y
        month = m
        day = d
    }
}
