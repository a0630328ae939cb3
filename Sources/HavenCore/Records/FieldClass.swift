/// The sensitivity class of a field; roles are granted access by class, never field by field.
public enum FieldClass: String, Sendable, Codable, CaseIterable, Comparable {
    case identity
    case contact
    case incident
    case perpetrator
    case health
    case counselling
    case legal

    public static func < (a: FieldClass, b: FieldClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
