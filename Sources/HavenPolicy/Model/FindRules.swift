/// What a role may learn, through `record.find`, of matches it may not see (`find_elsewhere`
/// in roles.yaml). Deny by default: a role that does not say learns nothing, since even
/// "she has a record somewhere" tells a police officer or a relative at a hospital desk
/// that she is a survivor, and where she is named, where she shelters.
public enum FindElsewhere: String, Sendable, Equatable, CaseIterable {
    /// Nothing: matches the role may not see are left out without a trace.
    case none
    /// Only that a record may exist elsewhere: one flag, with no agency and no number.
    case exists
    /// The agency and how many, where the survivor's consent covers sharing with the
    /// caller's kind of agency (`Policy.elsewhere`); otherwise only the flag, as `exists`.
    case agencies
}

/// The pace a role's users may search at (`find_limit` in roles.yaml): a token bucket per
/// user, of `burst` finds, refilled by one every `secondsPerFind` seconds.
///
/// Default 10 and 3 s. A person at an intake desk types a name, corrects a spelling, tries
/// the phone, then the name with the date of birth: a handful of finds in a minute for one
/// survivor, and a busy desk sees a survivor every few minutes. Ten at once covers a
/// session of corrections; one every 3 s (20 a minute) is more than anyone can type and
/// read, and holds a script to 1,200 finds an hour instead of thousands a second — too slow
/// to sweep a list of names or a calendar of birth dates unnoticed.
public struct FindLimit: Sendable, Equatable {
    public let burst: Int
    public let secondsPerFind: Int

    public static let standard = FindLimit(burst: 10, secondsPerFind: 3)
    /// The bounds a policy may set: never faster than one find a second, a person's pace at
    /// the very most, and never so slow that a desk cannot work.
    public static let burstRange = 1...60
    public static let secondsRange = 1...3600

    public init(burst: Int, secondsPerFind: Int) {
        self.burst = burst
        self.secondsPerFind = secondsPerFind
    }
}
