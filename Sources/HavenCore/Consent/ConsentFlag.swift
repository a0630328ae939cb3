/// What a survivor may agree to share, flag by flag (SPEC §2).
public enum ConsentFlag: String, Sendable, Codable, CaseIterable, Comparable {
    case counselling
    case health
    case police
    case legal
    case shelter
    case statistics

    public static func < (a: ConsentFlag, b: ConsentFlag) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
