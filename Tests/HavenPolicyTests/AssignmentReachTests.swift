import HavenCore
import HavenPolicy
import Testing

/// Assignments stay inside the record's agency (issue 32, item 2): assigning another agency's
/// user is refused with the way to refer instead; an assignment that crosses agencies (made
/// before that was refused, or kept by a user moved to another agency) grants nothing; who may
/// assign a role may also remove its assignees (and anyone's assignment that reaches nothing); and a listing names a record referred to the caller's agency only
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
                                    now: M.now, assigneeAgency: agency, removingAssignee: removing, assignee: try! UserName("noy")))
    }

    /// intake removing `user`, enrolled now as `role` of `agency` (nil role: revoked or unknown).
    static func remove(_ user: String, role: String?, of agency: AgencyName?, policy: Policy = policy) -> Decision {
        let name = try! UserName(user)
        return policy.decide(AccessRequest(subject: intake, action: .recordAssign, record: record(assignees: [name]),
                                           assigneeRole: role.map { try! RoleName($0) }, now: M.now, assigneeAgency: agency,
                                           removingAssignee: true, assignee: name))
    }

    @Test func anAssigneeOfAnotherAgencyIsRefusedWithTheWayToReferNotTheirAgency() {
        #expect(Self.assign(Self.record(), to: M.home).allowed)
        let d = Self.assign(Self.record(), to: M.elsewhere)
        #expect(!d.allowed && d.rule == "noy is not a user of this record's agency (ossc-vientiane)", "\(d.rule)")
        #expect(d.hint == "to involve another agency, create a referral: "
                + "haven referral create ID --to AGENCY --service SERVICE --purpose TEXT", "\(d.hint ?? "")")
        // Whoever tries names one by one hears the same words whatever agency each is of.
        let shelter = Self.assign(Self.record(), to: M.shelter)
        #expect(shelter.rule == d.rule && shelter.hint == d.hint)
        #expect(!(d.rule + (d.hint ?? "")).contains(M.elsewhere.rawValue))
        // An agency the request does not name is refused too: fail closed.
        #expect(!Self.assign(Self.record(), to: nil).allowed)
    }

    /// Removing is bounded as assigning is: intake (which assigns counsellors and intake)
    /// may not remove an active police officer of the record's agency; but a leaver, a user
    /// of another agency, or a user whose role the policy no longer defines reaches nothing
    /// through the assignment, and any assigner may clear it.
    @Test func removingNeedsTheRightToAssignTheRemovedUsersRoleUnlessTheyReachNothing() throws {
        #expect(Self.remove("c2", role: "counsellor", of: M.home).allowed)
        #expect(Self.remove("i2", role: "intake", of: M.home).allowed)
        let police = Self.remove("officer", role: "police", of: M.home)
        #expect(!police.allowed && police.rule == "role intake may not remove an assignee of role police", "\(police.rule)")
        #expect(!Self.remove("doctor", role: "health", of: M.home).allowed)
        // Leavers, and stale assignments across agencies, are corrected by any assigner.
        let leaver = Self.remove("officer", role: nil, of: nil)
        #expect(leaver.allowed && leaver.rule.contains("no longer an active user"), "\(leaver.rule)")
        let moved = Self.remove("officer", role: "police", of: M.elsewhere)
        #expect(moved.allowed && moved.rule.contains("not a user of agency ossc-vientiane"), "\(moved.rule)")
        #expect(Self.remove("gone", role: "no-such-role", of: M.home).allowed)

        // A policy where intake may assign only counsellors: an intake colleague stays.
        let narrow = try PolicyParser.parse(LabelTests.edited("roles.yaml", "assign_to: [counsellor, intake]", "assign_to: [counsellor]"))
        #expect(Self.remove("c2", role: "counsellor", of: M.home, policy: narrow).allowed)
        let colleague = Self.remove("i2", role: "intake", of: M.home, policy: narrow)
        #expect(!colleague.allowed && colleague.rule == "role intake may not remove an assignee of role intake", "\(colleague.rule)")
        #expect(Self.remove("i2", role: nil, of: nil, policy: narrow).allowed)
        #expect(Self.remove("i2", role: "intake", of: M.elsewhere, policy: narrow).allowed)
    }

    @Test func removingIsForWhoeverMayAssign() {
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
