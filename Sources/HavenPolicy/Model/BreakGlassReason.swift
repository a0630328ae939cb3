/// When a break-glass reason says something: at least 20 letters or digits (in any script)
/// once spaces, punctuation, invisible characters (zero-width spaces, joiners) and combining
/// marks are set aside, and at least 5 different ones among them.
///
/// Why: the reason is what an auditor reads to judge an emergency access that overrode the
/// survivor's consent. Twenty `a`s, twenty zero-width spaces or one letter under twenty
/// accents met a bare length rule and said nothing (the last two even look empty in the log).
/// Counting letters of every script keeps Lao and Vietnamese reasons — whose vowel signs and
/// tone marks are combining marks — as easy to give as English ones.
public enum BreakGlassReason {
    public static let minimumLetters = 20
    public static let minimumDistinct = 5

    public static let rule = "break-glass reason must have at least \(minimumLetters) letters or digits, "
        + "at least \(minimumDistinct) of them different"

    public static func isMeaningful(_ reason: String) -> Bool {
        var count = 0
        var distinct = Set<UInt32>()
        for scalar in reason.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
                count += 1
                distinct.insert(scalar.properties.lowercaseMapping.unicodeScalars.first?.value ?? scalar.value)
            default:
                continue
            }
        }
        return count >= minimumLetters && distinct.count >= minimumDistinct
    }
}
