import HavenCore

/// What a search may say of one match the caller may not see (its `record.find` decision
/// denied): that a record is there is itself the survivor's secret.
public enum ElsewhereVerdict: Sendable, Equatable {
    /// Left out without a trace.
    case hidden
    /// Counted into one flag, "a record may exist elsewhere": no agency, no number.
    case mayExist
    /// Counted by its agency, which is named.
    case named
}

extension Policy {
    /// What `subject` may learn of a match it may not see, by its role's `find_elsewhere`:
    /// `none` hides it; `exists` gives only the flag; `agencies` names the record's agency
    /// only while the survivor's consent covers sharing with the caller's kind of agency
    /// (`sharingConsent`), and otherwise gives only the flag. A withdrawn or expired grant
    /// covers nothing, as everywhere else.
    public func elsewhere(_ subject: Subject, record: RecordFacts, now: Timestamp) -> ElsewhereVerdict {
        guard let role = roles[subject.role], role.actions.contains(.recordFind) else { return .hidden }
        switch role.findElsewhere {
        case .none:
            return .hidden
        case .exists:
            return .mayExist
        case .agencies:
            let covered = sharingConsent(for: subject.agency).contains { record.consent.status(of: $0, at: now).isGranted }
            return covered ? .named : .mayExist
        }
    }

    /// The consent flags under which a survivor agrees to share her record with an agency
    /// of `agency`'s kind: the flag of every service in referrals.yaml that agencies of that
    /// kind offer (agencies.yaml `type`, referrals.yaml `offered_by`). Naming where she is to
    /// such an agency tells it no more than the referral she agreed to could. An agency the
    /// list does not hold, or a policy without referrals, is covered by no flag.
    public func sharingConsent(for agency: AgencyName) -> Set<ConsentFlag> {
        guard let kind = agencies.agencies?[agency]?.kind else { return [] }
        return Set(referrals.values.filter { $0.offeredBy.contains(kind) }.map(\.consent))
    }
}
