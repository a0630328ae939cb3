/// The dates Haven accepts wherever a date or time enters (SECURITY.md, "limits"): from
/// 1900-01-01 through 2100-12-31. Within them every stored date reads back in the canonical
/// four-digit form, and no typo in a year makes a consent hold for millennia — an expiry of
/// 9999-12-31 once became a five-digit year that no reader could parse.
public enum DateBounds {
    /// 1900-01-01T00:00:00Z: before any survivor's date of birth.
    public static let earliest = Timestamp(millisecondsSinceEpoch: -2_208_988_800_000)
    /// 2101-01-01T00:00:00Z, excluded: the end of the last day accepted, 2100-12-31.
    public static let end = Timestamp(millisecondsSinceEpoch: 4_133_980_800_000)

    public static let description = "from 1900-01-01 to 2100-12-31"

    public static func contains(_ t: Timestamp) -> Bool {
        t >= earliest && t < end
    }
}
