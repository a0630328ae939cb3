import HavenCore

/// A step taken on an existing referral.
public enum ReferralStep: Sendable, Equatable {
    /// Taken on by the receiving agency; `assignee` is the user named to work it.
    case accept(assignee: Subject?)
    /// The user working an accepted referral named, changed, or (nil) cleared by the
    /// receiving agency's desk.
    case assign(assignee: Subject?)
    case decline
    /// Withdrawn by the sending agency.
    case revoke
    /// Ended by either agency once the service is done.
    case close
    /// Its details shown (`referral show`, a line of `referral list`).
    case view

    public var name: String {
        switch self {
        case .accept: "accept"
        case .assign(let a): a == nil ? "unassign" : "assign"
        case .decline: "decline"
        case .revoke: "revoke"
        case .close: "close"
        case .view: "view"
        }
    }
}

extension Policy {
    /// referral.create: the record's own agency refers a record in the caller's reach, for a
    /// service the policy defines, to an agency of the list that offers it, while the
    /// service's consent is granted (a court order never stands in), and not twice while
    /// one for the same service to the same agency is pending or accepted.
    func decideReferralCreate(_ request: AccessRequest, role: RolePolicy, record: RecordFacts) -> Decision {
        let s = request.subject
        guard let ask = request.referral else { return .deny("referral.create needs a service and an agency", policy: self) }
        guard record.agency == s.agency else {
            return .deny("only agency \(record.agency), which holds the record, may refer it", policy: self)
        }
        guard let service = referrals[ask.service] else {
            return .deny("service \(ask.service) is not defined in referrals.yaml", policy: self)
        }
        guard ask.to != record.agency else { return .deny("a record is not referred to its own agency", policy: self) }
        guard agencies.agencies?[ask.to] != nil else {
            return .deny("agency \(ask.to) is not in the agency list", policy: self)
        }
        guard offers(ask.to, ask.service) else {
            return .deny("agency \(ask.to) does not offer \(ask.service)", policy: self)
        }
        if let open = record.referrals.first(where: { $0.status.isLive && $0.to == ask.to && $0.service == ask.service }) {
            return .deny("referral \(open.id) for \(ask.service) to \(ask.to) is already \(open.status.rawValue)", policy: self)
        }
        let status = record.consent.status(of: service.consent, at: request.now)
        guard status.isGranted else {
            let word = status == .never ? "not granted" : status.description
            return .deny("consent:\(service.consent.rawValue) \(word)", policy: self, consent: [service.consent: status])
        }
        return .allow("role \(s.role) may refer records in its reach (\(role.reach.rawValue)) for \(ask.service) to \(ask.to); "
                      + "consent:\(service.consent.rawValue) granted", policy: self, consent: [service.consent: status])
    }

    /// Decides a step on referral `id` of `record` by `subject`. Pure, like `decide`: the
    /// referral's state comes from the record's sealed header.
    public func decideReferral(_ step: ReferralStep, by subject: Subject, referral id: ReferralID, record: RecordFacts,
                               now: Timestamp) -> Decision {
        guard let role = roles[subject.role] else {
            return .deny("role \(subject.role) is not defined in this policy", policy: self)
        }
        guard role.actions.contains(.referralCreate), role.separatedDuty == nil else {
            return .deny("action referral.create not permitted for role \(subject.role)", policy: self)
        }
        guard let r = record.referrals.first(where: { $0.id == id }) else {
            return .deny("record \(record.id) has no referral \(id)", policy: self)
        }
        // Anyone else at either agency is told nothing of it, not even where it goes.
        guard let party = referralParty(subject, r) else {
            return .deny("\(subject.user) has no part in referral \(r.id)", policy: self)
        }
        let name = "referral \(r.id) for \(r.service)"
        let ours = subject.agency == r.from || subject.agency == r.to
        switch step {
        case .view:
            let part = switch party {
            case .sender: r.createdBy == subject.user ? "sent" : "is the sending agency's desk of"
            case .desk: "is the receiving agency's desk of"
            case .assignee: "was assigned"
            }
            return .allow("\(subject.user) \(part) \(name)", policy: self)
        case .accept, .decline:
            guard subject.agency == r.to else {
                return .deny("\(name) was sent to \(r.to); only it may \(step.name) it", policy: self)
            }
            guard role.reach == .agency else {
                return .deny("a referral is answered by a role that reaches its agency's records; role \(subject.role) reaches "
                             + "\(role.reach.rawValue)", policy: self)
            }
            guard r.status == .pending else { return .deny("\(name) is already \(r.status.rawValue)", policy: self) }
            guard case .accept(let assignee) = step else { return .allow("agency \(r.to) may decline \(name)", policy: self) }
            if let a = assignee, let refused = refusedAssignee(a, of: r, by: subject, role: role) { return refused }
            // Taking on a referral whose consent has gone since would only open nothing.
            guard let service = referrals[r.service] else {
                return .deny("\(name): the policy no longer defines service \(r.service)", policy: self)
            }
            let status = record.consent.status(of: service.consent, at: now)
            guard status.isGranted else {
                let word = status == .never ? "not granted" : status.description
                return .deny("\(name): consent:\(service.consent.rawValue) \(word)", policy: self, consent: [service.consent: status])
            }
            return .allow("agency \(r.to) may accept \(name); consent:\(service.consent.rawValue) granted", policy: self,
                          consent: [service.consent: status])
        case .assign(let assignee):
            // As accepting: only the receiving agency's desk names who works it there.
            guard subject.agency == r.to else {
                return .deny("\(name) was sent to \(r.to); only it may \(step.name) it", policy: self)
            }
            guard role.reach == .agency else {
                return .deny("a referral is assigned by a role that reaches its agency's records; role \(subject.role) reaches "
                             + "\(role.reach.rawValue)", policy: self)
            }
            guard r.status == .accepted else {
                return .deny("only an accepted referral is assigned; \(name) is \(r.status.rawValue)", policy: self)
            }
            guard let a = assignee else { return .allow("agency \(r.to) may unassign \(name)", policy: self) }
            if let refused = refusedAssignee(a, of: r, by: subject, role: role) { return refused }
            return .allow("agency \(r.to) may assign \(name) to \(a.user)", policy: self)
        case .revoke:
            guard subject.agency == r.from else {
                return .deny("only agency \(r.from), which sent \(name), may revoke it", policy: self)
            }
            guard role.reach == .agency || r.createdBy == subject.user else {
                return .deny("\(name) was sent by \(r.createdBy); role \(subject.role) may revoke only its own", policy: self)
            }
            guard r.status.isLive else { return .deny("\(name) is already \(r.status.rawValue)", policy: self) }
            return .allow("agency \(r.from) may revoke \(name)", policy: self)
        case .close:
            guard ours else { return .deny("\(name) is between \(r.from) and \(r.to)", policy: self) }
            guard role.reach == .agency || r.createdBy == subject.user || r.assignee == subject.user else {
                return .deny("role \(subject.role) may close only a referral it sent or was assigned", policy: self)
            }
            guard r.status == .accepted else {
                return .deny("only an accepted referral is closed; \(name) is \(r.status.rawValue)", policy: self)
            }
            return .allow("agency \(subject.agency) may close \(name)", policy: self)
        }
    }

    /// The user the receiving desk names to work referral `r`, at acceptance or later: one of
    /// the receiving agency, in a role the desk may assign; nil when that holds.
    private func refusedAssignee(_ a: Subject, of r: Referral, by subject: Subject, role: RolePolicy) -> Decision? {
        guard a.agency == r.to else {
            return .deny("\(a.user) is of agency \(a.agency), not \(r.to), which the referral was sent to", policy: self,
                         hint: "assign a user of \(r.to)")
        }
        guard role.assignableRoles.contains(a.role) else {
            return .deny("role \(subject.role) may not assign records to role \(a.role)", policy: self)
        }
        return nil
    }
}
