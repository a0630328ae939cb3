import HavenCore

/// The steps after creation, as the API names them.
public enum ReferralChange: String, Sendable, CaseIterable {
    case accept, decline, revoke, close
    /// The accepted referral's worker named, changed or cleared; it stays accepted.
    case assign, unassign

    /// Where the referral stands after the step.
    var status: ReferralStatus {
        switch self {
        case .accept, .assign, .unassign: .accepted
        case .decline: .declined
        case .revoke: .revoked
        case .close: .closed
        }
    }

    /// The step as its history row names it.
    var event: ReferralEvent.Kind {
        switch self {
        case .accept: .accept
        case .assign: .assign
        case .unassign: .unassign
        case .decline: .decline
        case .revoke: .revoke
        case .close: .close
        }
    }
}
