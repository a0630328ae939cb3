import HavenCore

/// What an accepted referral opens to a role of the receiving agency: the classes of its
/// service (read and write), and the consent it relied on. Never more than the role's own
/// rules: each class still needs the role's read or write rule and that rule's consent.
struct ReferralGrant {
    let read: Set<FieldClass>
    let write: Set<FieldClass>
    let consent: [ConsentFlag: ConsentStatus]
    /// "referral R accepted for shelter" (several joined by ", "), the words of the decision.
    let rule: String
}

extension Action {
    /// The actions a referral can open to another agency. Consent, assignment, erasure and
    /// extracts stay with the record's own agency (and the roles that reach any record).
    var reachableByReferral: Bool {
        self == .recordRead || self == .recordUpdate || self == .noteAdd || self == .recordFind
    }
}

extension Policy {
    enum ReferralReach {
        case granted(ReferralGrant)
        /// Why not, naming the referral that came closest; nil when there is none to the
        /// caller's agency (the caller then hears why the record is out of reach).
        case denied(String?, [ConsentFlag: ConsentStatus])
    }

    /// Whether `subject` reaches another agency's record through a referral: one to its
    /// agency, accepted, whose service the policy still offers, whose consent is granted
    /// now, and — for a role that reaches only its assigned records — assigned to it.
    /// Everything comes from the record's sealed header, so the next request after a
    /// withdrawal, revocation or closing is already refused; and the consent is checked as
    /// it stands at this request, so a grant that expired opens nothing though no write
    /// marked it. Only referrals the caller is a party to are looked at: anyone else at the
    /// receiving agency hears why the record is out of reach, never that a referral exists.
    func referralReach(role: RolePolicy, subject: Subject, record: RecordFacts, now: Timestamp) -> ReferralReach {
        let toUs = record.referrals.filter { $0.to == subject.agency && referralParty(subject, $0) != nil }
            .sorted { $0.updatedAt > $1.updatedAt }
        var live = [(Referral, ReferralService)]()
        var relied = [ConsentFlag: ConsentStatus]()
        var why: String?
        for r in toUs {
            let name = "referral \(r.id) for \(r.service)"
            func miss(_ reason: String) { if why == nil { why = reason } }
            switch r.status {
            case .pending: miss("\(name) is not yet accepted")
            case .declined: miss("\(name) was declined")
            case .revoked: miss("\(name) was revoked")
            case .closed: miss("\(name) is closed")
            case .accepted:
                guard let service = referrals[r.service] else {
                    miss("\(name): the policy no longer defines service \(r.service)")
                    continue
                }
                switch role.reach {
                case .agency, .any: break
                case .assigned:
                    guard r.assignee == subject.user else {
                        miss("\(name) is accepted, but not assigned to \(subject.user)")
                        continue
                    }
                case .none:
                    miss("role \(subject.role) reaches no records")
                    continue
                }
                let status = record.consent.status(of: service.consent, at: now)
                relied[service.consent] = status
                guard status.isGranted else {
                    miss("\(name): consent:\(service.consent.rawValue) \(status == .never ? "not granted" : status.description)")
                    continue
                }
                live.append((r, service))
            }
        }
        guard !live.isEmpty else { return .denied(why, relied) }
        return .granted(ReferralGrant(
            read: live.reduce(into: Set<FieldClass>()) { $0.formUnion($1.1.read) },
            write: live.reduce(into: Set<FieldClass>()) { $0.formUnion($1.1.write) },
            consent: relied,
            rule: live.map { "referral \($0.0.id) accepted for \($0.0.service)" }.joined(separator: ", ")))
    }
}
