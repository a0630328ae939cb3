import HavenCore

/// Who a referral is between. Its purpose, note, assignee and record are survivor data
/// shared for one service: only the people working it see them, never everyone else at
/// either agency (a counsellor of the shelter with no part in it learns nothing, not even
/// that it exists).
public enum ReferralParty: Sendable, Equatable {
    /// The user who made it, or the sending agency's desk (a role reaching all its
    /// agency's records, which may revoke any referral the agency sent).
    case sender
    /// The receiving agency's desk: a role reaching all its agency's records, which answers
    /// the referrals sent to it.
    case desk
    /// The receiving agency's user named to work it at acceptance (who sees its words only
    /// while it stands accepted).
    case assignee
}

extension Policy {
    /// What `subject` is to `r`, or nil for anyone else (who is shown nothing of it).
    public func referralParty(_ subject: Subject, _ r: Referral) -> ReferralParty? {
        guard let role = roles[subject.role], role.separatedDuty == nil else { return nil }
        if subject.agency == r.from && (r.createdBy == subject.user || role.reach == .agency) { return .sender }
        guard subject.agency == r.to else { return nil }
        if role.reach == .agency { return .desk }
        if r.assignee == subject.user { return .assignee }
        return nil
    }

    /// The live referrals of `record` a withdrawal of `flag` ends: those whose service needs
    /// it, and those whose service the policy no longer defines (the flag they rested on
    /// cannot be told, so they end with any withdrawal rather than outlive theirs).
    public func referralsResting(on flag: ConsentFlag, in referrals: [Referral]) -> [Referral] {
        referrals.filter { r in
            guard r.status.isLive else { return false }
            guard let service = self.referrals[r.service] else { return true }
            return service.consent == flag
        }
    }
}
