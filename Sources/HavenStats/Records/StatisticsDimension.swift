/// What incidents can be counted by (`haven stats incidents --by`).
public enum StatisticsDimension: String, Sendable, CaseIterable, Codable {
    case month
    case incidentType = "incident_type"
    case province
    case ageGroup = "age_group"
    case sex
    case perpetratorRelationship = "perpetrator_relationship"
    case agency
    case recordType = "record_type"

    /// The dimensions a record carries a value of (the month is its reporting date's).
    public static let recorded: [StatisticsDimension] = [.recordType, .agency, .incidentType, .province, .ageGroup, .sex,
                                                          .perpetratorRelationship]

    /// The value of a record that has none for this dimension (its type lacks the field, the
    /// field is empty, or it holds a value the policy no longer lists).
    public static let notRecorded = "not_recorded"

    /// The value a total shows in its dimension's column.
    public static let all = "all"

    public var label: String {
        switch self {
        case .month: return "Month"
        case .incidentType: return "Type of incident"
        case .province: return "Province"
        case .ageGroup: return "Age group"
        case .sex: return "Sex"
        case .perpetratorRelationship: return "Relationship of the alleged perpetrator"
        case .agency: return "Agency"
        case .recordType: return "Record type"
        }
    }
}
