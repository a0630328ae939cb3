/// Which records a listing covers; the policy decides which scope a caller gets. Besides its
/// own records, an agency's scope covers the records referred to it whose referral stands
/// accepted; each such row is checked against the record's sealed header before it is listed.
public enum RecordScope: Sendable, Equatable {
    case all
    case agency(AgencyName)
    /// A user's assignments within their agency, and the records referred to it (of which
    /// only those whose referral is assigned to the user are listed).
    case assignedTo(UserName, agency: AgencyName)
}
