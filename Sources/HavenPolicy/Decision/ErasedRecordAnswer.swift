import HavenCore

extension Policy {
    /// Whether `subject` may hear that a record of `agency` was erased (and when), rather
    /// than the answer an id that never existed gets. An erased record keeps only its
    /// agency (the row's plain column, bound by its state tag) — its assignees, consent
    /// and referrals went with its key — so "could have read it" is decided as far as
    /// that allows: a role that may read records (or issue extracts) and reaches the
    /// record's agency (`any`; `agency` or `assigned` of that agency). Everyone else —
    /// another agency, a referral's receiver, a separated duty — hears `not_found`: the id
    /// is no oracle of who was a client where.
    public func mayLearnErasure(of agency: AgencyName, by subject: Subject) -> Bool {
        guard let role = roles[subject.role], role.separatedDuty == nil,
              role.actions.contains(.recordRead) || role.actions.contains(.extractIssue) else { return false }
        switch role.reach {
        case .any: return true
        case .agency, .assigned: return subject.agency == agency
        case .none: return false
        }
    }
}
