import HavenCore

/// The prefix of an agency's case numbers (`OV` in `OV-26-0042`): the agency's `case_prefix`
/// in policy/agencies.yaml, or the initials of its id's words (`ossc-vientiane` → `OV`).
/// Letters only, so that a number's prefix, year and count stay apart without dashes.
public enum CasePrefix {
    /// Two to eight letters A-Z.
    public static func isValid(_ prefix: String) -> Bool {
        (2...8).contains(prefix.utf8.count) && prefix.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// The initials of the id's words, upper case; the first letters of a one-word id.
    public static func derived(from agency: AgencyName) -> String {
        let words = agency.rawValue.split(whereSeparator: { !$0.isLetter || !$0.isASCII }).map { $0.uppercased() }
        let initials = String(words.compactMap(\.first))
        if initials.count >= 2 { return String(initials.prefix(8)) }
        let letters = String(words.joined().prefix(4))
        return letters.count >= 2 ? letters : "CASE"
    }
}

extension AgencyList {
    /// The prefix of `agency`'s case numbers.
    public func casePrefix(for agency: AgencyName) -> String {
        agencies?[agency]?.casePrefix ?? CasePrefix.derived(from: agency)
    }
}
