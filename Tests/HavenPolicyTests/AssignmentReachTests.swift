import HavenCore
import HavenPolicy
import Testing

/// Assignments stay inside the record's agency (issue 32, item 2): assigning another agency's
/// user is refused with the way to refer instead; an assignment that crosses agencies (made
/// before that was refused, or kept by a user moved to another agency) grants nothing; who may
/// assign may also remove; and a listing names a record referred to the caller's agency only
/// while its referral is in force, for the desk and the assignee of it.
@Suite struct AssignmentReachTests {
    typealias M = DecisionMatrixTests
    static let policy = ShippedPolicy.policy
    static let intake = Subject(user: try! UserName("intake"), role: try! RoleName("intake"), agency: M.home)
    static let counsellor = try! RoleName("counsellor")

    static func record(agency: AgencyName = M.home, assignees: [UserName] = [], referrals: [Referral] = [],
                       consent: M.ConsentCase = .granted) -> RecordFacts {
        RecordFacts(id: RecordID(bytes: Array(repeating: 5, count: 16)), type: M.type, agency: agency, assignees: assignees,
                    consent: M.consentState(consent), notes: [], presentFields: M.presentFields, referrals: referrals)
    }

    static func assign(_ facts: RecordFacts, to agency: AgencyName?, removing: Bool = false) -> Decision {
        policy.decide(AccessRequest(subject: intake, action: .recordAssign, record: facts, assigneeRole: removing ? nil : counsellor,
                                    now: M.now, assigneeAgency: agency, removingAssignee: removing))
    }

    @Test func anAssigneeOfAnotherAgencyIsRefusedWithTheWayToRefer() {
        #expect(Self.assign(Self.record(), to: M.home).allowed)
        let d = Self.assign(Self.record(), to: M.elsewhere)
        #expect(!d.allowed && d.rule.contains("record belongs to agency ossc-vientiane"), "\(d.rule)")
        #expect(d.hint?.hasPrefix("assign within ossc-vientiane; to involve ossc-luang-prabang, create a referral: haven referral create")
                == true, "\(d.hint ?? "")")
        // An agency the request does not name is refused too: fail closed.
        #expect(!Self.assign(Self.record(), to: nil).allowed)
    }

    @Test func removingIsForWhoeverMayAssignWhateverTheAssigneeIsNow() {
        // A leaver's role or agency does not matter: the correction is the assigner's.
        #expect(Self.assign(Self.record(assignees: [try! UserName("left")]), to: nil, removing: true).allowed)
        let counsellor = Subject(user: try! UserName("c"), role: Self.counsellor, agency: M.home)
        let d = Self.policy.decide(AccessRequest(subject: counsellor, action: .recordAssign, record: Self.record(assignees: [counsellor.user]),
                                                 now: M.now, removingAssignee: true))
        #expect(!d.allowed && d.rule == "action record.assign not permitted for role counsellor", "\(d.rule)")
        // Another agency's intake may not correct this agency's assignments.
        let other = Subject(user: try! UserName("lp"), role: try! RoleName("intake"), agency: M.elsewhere)
        #expect(!Self.policy.decide(AccessRequest(subject: other, action: .recordAssign, record: Self.record(), now: M.now,
                                                  removingAssignee: true)).allowed)
    }

    @Test func anAssignmentAcrossAgenciesGrantsNothing() {
        let lp = Subject(user: try! UserName("noy"), role: Self.counsellor, agency: M.elsewhere)
        let facts = Self.record(assignees: [lp.user])
        for action in [Action.recordRead, .recordUpdate, .noteAdd, .consentRead, .referralCreate] {
            let d = Self.policy.decide(AccessRequest(subject: lp, action: action, record: facts, fields: action == .recordUpdate
                ? [try! FieldName("phone")] : nil, noteClass: .counselling, purpose: "follow-up", now: M.now))
            #expect(!d.allowed, "\(action.rawValue): \(d.rule)")
        }
        #expect(!Self.policy.lists(facts, to: lp, now: M.now))
        // The same user as enrolled at the record's agency reaches it; moved away, nothing.
        let home = Subject(user: lp.user, role: Self.counsellor, agency: M.home)
        #expect(Self.policy.lists(facts, to: home, now: M.now))
        #expect(Self.policy.decide(AccessRequest(subject: home, action: .recordRead, record: facts, purpose: "follow-up", now: M.now)).allowed)
    }

    @Test func aReferredRecordIsListedToTheDeskAndTheAssigneeWhileTheReferralHolds() {
        let desk = Subject(user: try! UserName("shelter-intake"), role: try! RoleName("intake"), agency: M.shelter)
        let phet = Subject(user: try! UserName("phet"), role: Self.counsellor, agency: M.shelter)
        let other = Subject(user: try! UserName("noy"), role: Self.counsellor, agency: M.shelter)
        func referral(_ status: ReferralStatus) -> Referral {
            Referral(id: M.ref, service: "shelter", from: M.home, to: M.shelter, status: status, createdBy: try! UserName("intake"),
                     createdAt: M.now.adding(milliseconds: -5_000), assignee: status == .pending ? nil : phet.user)
        }
        let accepted = Self.record(referrals: [referral(.accepted)])
        #expect(Self.policy.lists(accepted, to: desk, now: M.now) && Self.policy.lists(accepted, to: phet, now: M.now))
        #expect(!Self.policy.lists(accepted, to: other, now: M.now))
        for status in [ReferralStatus.pending, .declined, .revoked, .closed] {
            let facts = Self.record(referrals: [referral(status)])
            #expect(!Self.policy.lists(facts, to: desk, now: M.now) && !Self.policy.lists(facts, to: phet, now: M.now), "\(status)")
        }
        for consent in [M.ConsentCase.withdrawn, .expired, .never] {
            let facts = Self.record(referrals: [referral(.accepted)], consent: consent)
            #expect(!Self.policy.lists(facts, to: desk, now: M.now) && !Self.policy.lists(facts, to: phet, now: M.now), "\(consent)")
        }
        // Roles that never list (court) or touch content (auditor) list nothing, referral or not.
        for role in ["court", "auditor", "analyst", "admin"] {
            let s = Subject(user: try! UserName("u-\(role)"), role: try! RoleName(role), agency: M.shelter)
            #expect(!Self.policy.lists(accepted, to: s, now: M.now), "\(role)")
        }
    }
}
