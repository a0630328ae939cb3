/// Where a referral stands. Only an accepted one opens anything to the receiving agency;
/// declined, revoked and closed are final.
public enum ReferralStatus: String, Sendable, Codable, CaseIterable {
    /// Sent; the receiving agency sees that it waits, and nothing of the survivor.
    case pending
    /// Taken on: the receiving agency's roles reach the record for the service's classes.
    case accepted
    /// Refused by the receiving agency.
    case declined
    /// Withdrawn by the sending agency.
    case revoked
    /// Ended when the service was done (either agency).
    case closed

    /// Pending or accepted: a second referral for the same service to the same agency would
    /// only blur which one is in force.
    public var isLive: Bool { self == .pending || self == .accepted }
}
