import HavenCore
import HavenPolicy
import Testing

/// The steps on an existing referral (view, accept, assign, decline, revoke, close): every role ×
/// step × state × side of the referral × who sent it × consent, decided by the engine and
/// checked against the rules written out here apart from it; and the reach an accepted
/// referral gives, by name.
@Suite struct ReferralStepTests {
    typealias M = DecisionMatrixTests
    enum Side: String, CaseIterable { case sender, receiver, neither }
    static let steps: [ReferralStep] = [.view, .accept(assignee: nil), .assign(assignee: nil), .decline, .revoke, .close]

    static func record(status: ReferralStatus, side: Side, sentBySelf: Bool, consent: M.ConsentCase, user: UserName) -> RecordFacts {
        let other = try! AgencyName("ossc-luang-prabang")
        let (from, to): (AgencyName, AgencyName) = switch side {
        case .sender: (M.home, M.shelter)
        case .receiver: (other, M.home)
        case .neither: (other, M.shelter)
        }
        let referral = Referral(id: M.ref, service: "shelter", from: from, to: to, status: status,
                                createdBy: sentBySelf ? user : try! UserName("sender"), createdAt: M.now.adding(milliseconds: -5_000))
        return RecordFacts(id: RecordID(bytes: Array(repeating: 5, count: 16)), type: M.type, agency: from, assignees: [],
                           consent: M.consentState(consent), notes: [], presentFields: M.presentFields, referrals: [referral])
    }

    /// The rules of the issue, written out: the receiving agency's desk (reach: agency)
    /// answers a pending referral, accepting only while the consent holds, and (un)names who
    /// works an accepted one whatever the consent (a lapse refuses the reach, not the desk's
    /// bookkeeping); the sending
    /// agency revokes a live one (its desk, or whoever sent it); the parties close an
    /// accepted one and see it — the desks of both sides, and whoever sent it —; nobody else
    /// (another counsellor of either side) does anything, not even see it.
    static func expected(role: String, step: ReferralStep, status: ReferralStatus, side: Side, sentBySelf: Bool,
                         consent: M.ConsentCase) -> Bool {
        let spec = SpecTable.roles[role]!
        guard spec.actions.contains(.referralCreate), side != .neither else { return false }
        let desk = spec.reach == .agency
        let party = desk || (side == .sender && sentBySelf)
        guard party else { return false }
        switch step {
        case .view: return true
        case .accept: return side == .receiver && desk && status == .pending && consent == .granted
        case .assign: return side == .receiver && desk && status == .accepted
        case .decline: return side == .receiver && desk && status == .pending
        case .revoke: return side == .sender && (desk || sentBySelf) && (status == .pending || status == .accepted)
        case .close: return status == .accepted
        }
    }

    @Test func everyStepMatchesTheRules() {
        var cases = 0
        var allowed = 0
        for role in SpecTable.roles.keys.sorted() {
            let user = try! UserName("u-\(role)")
            let subject = Subject(user: user, role: try! RoleName(role), agency: M.home)
            for step in Self.steps {
                for status in ReferralStatus.allCases {
                    for side in Side.allCases {
                        for sentBySelf in [false, true] {
                            for consent in M.ConsentCase.allCases {
                                let facts = Self.record(status: status, side: side, sentBySelf: sentBySelf, consent: consent, user: user)
                                let d = ShippedPolicy.policy.decideReferral(step, by: subject, referral: M.ref, record: facts, now: M.now)
                                let want = Self.expected(role: role, step: step, status: status, side: side, sentBySelf: sentBySelf,
                                                         consent: consent)
                                #expect(d.allowed == want, "\(role) \(step.name) \(status) \(side) self=\(sentBySelf) \(consent): '\(d.rule)'")
                                #expect(!d.rule.isEmpty)
                                cases += 1
                                if d.allowed { allowed += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(cases == 8 * 6 * 5 * 3 * 2 * 4)
        print("referral steps: \(cases) cases, \(allowed) allowed")
        #expect(allowed > 100)
    }

    /// Accepting names someone of the receiving agency whom the desk may assign.
    @Test func anAssigneeIsOfTheReceivingAgencyAndARoleTheDeskAssigns() {
        let subject = Subject(user: try! UserName("desk"), role: try! RoleName("intake"), agency: M.home)
        let facts = Self.record(status: .pending, side: .receiver, sentBySelf: false, consent: .granted, user: subject.user)
        func accept(_ role: String, _ agency: AgencyName) -> Decision {
            ShippedPolicy.policy.decideReferral(.accept(assignee: Subject(user: try! UserName("w"), role: try! RoleName(role), agency: agency)),
                                                by: subject, referral: M.ref, record: facts, now: M.now)
        }
        #expect(accept("counsellor", M.home).allowed)
        #expect(!accept("counsellor", M.elsewhere).allowed)
        #expect(accept("health", M.home).rule == "role intake may not assign records to role health")
    }

    /// Assigning later asks of the assignee what accepting does, on a referral that stands accepted.
    @Test func aLaterAssigneeIsOfTheReceivingAgencyAndARoleTheDeskAssigns() {
        let subject = Subject(user: try! UserName("desk"), role: try! RoleName("intake"), agency: M.home)
        let facts = Self.record(status: .accepted, side: .receiver, sentBySelf: false, consent: .granted, user: subject.user)
        func assign(_ role: String, _ agency: AgencyName, _ facts: RecordFacts) -> Decision {
            ShippedPolicy.policy.decideReferral(.assign(assignee: Subject(user: try! UserName("w"), role: try! RoleName(role), agency: agency)),
                                                by: subject, referral: M.ref, record: facts, now: M.now)
        }
        #expect(assign("counsellor", M.home, facts).allowed)
        let away = assign("counsellor", M.elsewhere, facts)
        #expect(!away.allowed && away.hint == "assign a user of \(M.home)", "\(away.rule)")
        #expect(assign("health", M.home, facts).rule == "role intake may not assign records to role health")
        let pending = Self.record(status: .pending, side: .receiver, sentBySelf: false, consent: .granted, user: subject.user)
        #expect(!assign("counsellor", M.home, pending).allowed)
        #expect(ReferralStep.assign(assignee: nil).name == "unassign")
    }

    /// The decision on a record reached through a referral names it; a counsellor of the
    /// receiving agency reaches it only once named at acceptance, and until then is told
    /// nothing of the referral: the record is simply not its.
    @Test func theDecisionNamesTheReferral() {
        let c = M.Case(role: "intake", action: .recordRead, consent: .granted, placement: .otherAgency, referral: .accepted,
                       breakGlass: false, courtOrder: false)
        let d = ShippedPolicy.policy.decide(M.request(c))
        #expect(d.allowed && d.rule == "referral \(M.ref) accepted for shelter; role intake may record.read under its own rules", "\(d.rule)")
        #expect(d.consentRelied[.shelter] == .granted(expiresAt: nil))
        var r = M.request(M.Case(role: "counsellor", action: .recordRead, consent: .granted, placement: .otherAgency,
                                 referral: .accepted, breakGlass: false, courtOrder: false))
        let unassigned = r.record!.referrals.map {
            Referral(id: $0.id, service: $0.service, from: $0.from, to: $0.to, status: $0.status, createdBy: $0.createdBy,
                     createdAt: $0.createdAt, assignee: try! UserName("someone-else"))
        }
        let facts = r.record!
        r.record = RecordFacts(id: facts.id, type: facts.type, agency: facts.agency, assignees: facts.assignees, consent: facts.consent,
                               notes: [], presentFields: facts.presentFields, referrals: unassigned)
        let denied = ShippedPolicy.policy.decide(r)
        #expect(!denied.allowed && denied.rule == "record not assigned to u-counsellor", "\(denied.rule)")
        #expect(denied.consentRelied.isEmpty)
        for (state, words) in [(M.ReferralCase.pending, "is not yet accepted"), (.declined, "was declined"), (.revoked, "was revoked"),
                               (.closed, "is closed")] {
            let d = ShippedPolicy.policy.decide(M.request(M.Case(role: "intake", action: .recordRead, consent: .granted,
                                                                 placement: .otherAgency, referral: state, breakGlass: false,
                                                                 courtOrder: false)))
            #expect(!d.allowed && d.rule == "referral \(M.ref) for shelter \(words)", "\(d.rule)")
        }
        let withdrawn = ShippedPolicy.policy.decide(M.request(M.Case(role: "intake", action: .recordRead, consent: .withdrawn,
                                                                     placement: .otherAgency, referral: .accepted, breakGlass: false,
                                                                     courtOrder: false)))
        #expect(withdrawn.rule == "referral \(M.ref) for shelter: consent:shelter withdrawn")
    }
}
