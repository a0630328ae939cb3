import HavenCore

extension Policy {
    /// record.assign, adding or removing an assignee, on a record already in the caller's reach.
    ///
    /// Adding: the assignee's role is one the caller may assign, and the assignee is a user
    /// of the record's agency (an assignee reaches the whole record under their role's rules;
    /// another agency is reached only through a referral, which shares a service's classes
    /// with consent). The refusal names the record's agency, never the assignee's: whoever
    /// tries names one by one must not learn where each user works.
    ///
    /// Removing is the same correction, bounded the same way: the removed user's role as
    /// enrolled now is one the caller may assign; or the user is no longer active (revoked or
    /// unknown, a leaver: `assigneeRole` nil) or holds a role the policy no longer defines,
    /// either way reaching nothing; or is of another agency (an assignment that reaches
    /// nothing, made across agencies before that was refused, or kept by a user since moved).
    func decideAssign(_ request: AccessRequest, role: RolePolicy, record: RecordFacts) -> Decision {
        let s = request.subject
        let reach = "on records in its reach (\(role.reach.rawValue))"
        if request.removingAssignee {
            guard let target = request.assigneeRole else {
                return .allow("role \(s.role) may record.assign (remove an assignee who is no longer an active user) \(reach)",
                              policy: self)
            }
            guard roles[target] != nil else {
                return .allow("role \(s.role) may record.assign (remove an assignee whose role \(target) is no longer defined) "
                              + reach, policy: self)
            }
            guard request.assigneeAgency == record.agency else {
                return .allow("role \(s.role) may record.assign (remove an assignee who is not a user of agency \(record.agency)) "
                              + reach, policy: self)
            }
            guard role.assignableRoles.contains(target) else {
                return .deny("role \(s.role) may not remove an assignee of role \(target)", policy: self,
                             hint: "a role that may assign records to role \(target) may remove the assignment")
            }
            return .allow("role \(s.role) may record.assign (remove an assignee of role \(target)) \(reach)", policy: self)
        }
        guard let target = request.assigneeRole, role.assignableRoles.contains(target) else {
            let who = request.assigneeRole.map { "role \($0)" } ?? "an unknown role"
            return .deny("role \(s.role) may not assign records to \(who)", policy: self)
        }
        guard request.assigneeAgency == record.agency else {
            let who = request.assignee?.rawValue ?? "the assignee"
            return .deny("\(who) is not a user of this record's agency (\(record.agency))", policy: self,
                         hint: "to involve another agency, create a referral: "
                             + "haven referral create ID --to AGENCY --service SERVICE --purpose TEXT")
        }
        return .allow("role \(s.role) may record.assign to role \(target) \(reach)", policy: self)
    }
}
