/// Which records a listing covers; the policy decides which scope a caller gets.
public enum RecordScope: Sendable, Equatable {
    case all
    case agency(AgencyName)
    case assignedTo(UserName)
}
