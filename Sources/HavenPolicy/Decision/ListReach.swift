import HavenCore

extension Policy {
    /// Whether record.list shows `record` to `subject`: the record is within the role's reach
    /// (its agency's, or assigned to the caller within the record's agency), or reached through
    /// a referral to the caller's agency that is accepted and in force now (the checks a read
    /// makes, `referralReach`). A listing never names a record its caller could not read.
    public func lists(_ record: RecordFacts, to subject: Subject, now: Timestamp) -> Bool {
        guard let role = roles[subject.role], role.actions.contains(.recordList), role.separatedDuty == nil else { return false }
        guard reachFailure(role: role, subject: subject, record: record) != nil else { return true }
        if case .granted = referralReach(role: role, subject: subject, record: record, now: now) { return true }
        return false
    }
}
