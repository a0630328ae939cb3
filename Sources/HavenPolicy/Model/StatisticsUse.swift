/// What a field gives the anonymised statistics (`stats:` in a schema file). A field so
/// marked is read by no one new: its value only feeds counts, published with small cells
/// suppressed (`haven stats incidents`).
public enum StatisticsUse: String, Sendable, Equatable, CaseIterable {
    /// A date: the month the record is counted in (else the month it was created).
    case month
    /// A date of birth: the survivor's GBVIMS age group at that month's date.
    case ageGroup = "age_group"
    /// A choice: one dimension of the counts.
    case incidentType = "incident_type"
    case province
    case sex
    case perpetratorRelationship = "perpetrator_relationship"
    /// A choice with a `yes`: a record already reported by another service is not counted
    /// again (GBVIMS).
    case reportedElsewhere = "reported_elsewhere"

    /// Whether the field must be a date (else a choice).
    public var needsDate: Bool { self == .month || self == .ageGroup }
}
