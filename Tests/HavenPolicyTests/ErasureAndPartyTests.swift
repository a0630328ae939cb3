import Foundation
import HavenCore
@testable import HavenPolicy
import Testing

/// Who a referral is between, and who may hear that a record was erased: both decided from
/// the policy alone, for every shipped role. And the erasure reasons of erasure.yaml, as
/// `haven policy check` validates them and an erasure checks a reason and its reference.
@Suite struct ErasureAndPartyTests {
    typealias M = DecisionMatrixTests
    static let policy = ShippedPolicy.policy
    static let sender = try! UserName("sender")
    static let worker = try! UserName("worker")

    static func referral(_ status: ReferralStatus = .accepted) -> Referral {
        Referral(id: M.ref, service: "shelter", from: M.home, to: M.shelter, status: status, createdBy: sender,
                 createdAt: M.now, assignee: status == .pending ? nil : worker)
    }

    static func subject(_ user: UserName, _ role: String, _ agency: AgencyName) -> Subject {
        Subject(user: user, role: try! RoleName(role), agency: agency)
    }

    /// The sender and its agency's desk, the receiving desk and the assignee; nobody else —
    /// not another counsellor at either agency, not a third agency, not a separated duty.
    @Test func aReferralIsBetweenItsPartiesOnly() {
        let r = Self.referral()
        let other = try! UserName("other")
        let cases: [(Subject, ReferralParty?)] = [
            (Self.subject(Self.sender, "counsellor", M.home), .sender),
            (Self.subject(other, "intake", M.home), .sender),
            (Self.subject(other, "intake", M.shelter), .desk),
            (Self.subject(Self.worker, "counsellor", M.shelter), .assignee),
            (Self.subject(other, "counsellor", M.home), nil),
            (Self.subject(other, "counsellor", M.shelter), nil),
            (Self.subject(Self.sender, "counsellor", M.shelter), nil),  // the same name at the other side is someone else
            (Self.subject(other, "intake", M.elsewhere), nil),
            (Self.subject(other, "police", M.shelter), nil),
            (Self.subject(other, "auditor", M.home), nil),
            (Self.subject(other, "admin", M.shelter), nil),
        ]
        for (s, want) in cases {
            #expect(Self.policy.referralParty(s, r) == want, "\(s.user) \(s.role) \(s.agency)")
        }
        // A non-party is refused every step, in words that say nothing of the referral.
        let facts = RecordFacts(id: RecordID(bytes: Array(repeating: 5, count: 16)), type: M.type, agency: M.home, assignees: [],
                                consent: M.consentState(.granted), notes: [], presentFields: M.presentFields, referrals: [r])
        for step in [ReferralStep.view, .close, .revoke, .decline, .accept(assignee: nil)] {
            let d = Self.policy.decideReferral(step, by: Self.subject(other, "counsellor", M.shelter), referral: M.ref, record: facts,
                                               now: M.now)
            #expect(!d.allowed && d.rule == "other has no part in referral \(M.ref)", "\(step.name): \(d.rule)")
        }
    }

    /// A withdrawal ends the live referrals resting on its flag, and those whose service the
    /// policy no longer defines; never a finished one, never one resting on another flag.
    @Test func aWithdrawalEndsTheLiveReferralsRestingOnItsFlag() {
        func make(_ n: UInt8, _ service: String, _ status: ReferralStatus) -> Referral {
            Referral(id: ReferralID(bytes: Array(repeating: n, count: 10)), service: service, from: M.home, to: M.shelter,
                     status: status, createdBy: Self.sender, createdAt: M.now)
        }
        let all = [make(1, "shelter", .accepted), make(2, "shelter", .pending), make(3, "shelter", .closed),
                   make(4, "shelter", .revoked), make(5, "health", .accepted), make(6, "retired_service", .accepted)]
        #expect(Self.policy.referralsResting(on: .shelter, in: all).map(\.id) == [all[0].id, all[1].id, all[5].id])
        #expect(Self.policy.referralsResting(on: .health, in: all).map(\.id) == [all[4].id, all[5].id])
        #expect(Self.policy.referralsResting(on: .statistics, in: all).map(\.id) == [all[5].id])
    }

    /// `erased` is for roles that could have read the record, by its agency; everyone else
    /// gets what an unknown id gets.
    @Test func onlyRolesThatCouldHaveReadARecordLearnItWasErased() {
        let u = try! UserName("u")
        for (role, agency, want) in [("intake", M.home, true), ("intake", M.shelter, false), ("counsellor", M.home, true),
                                     ("counsellor", M.elsewhere, false), ("health", M.shelter, true), ("police", M.shelter, true),
                                     ("court", M.shelter, true), ("auditor", M.home, false), ("admin", M.home, false),
                                     ("analyst", M.home, false), ("no_such_role", M.home, false)] {
            #expect(Self.policy.mayLearnErasure(of: M.home, by: Self.subject(u, role, agency)) == want, "\(role) at \(agency)")
        }
    }

    @Test func erasureReasonsAreCodesWithAnOptionalReference() throws {
        let reasons = Self.policy.erasure
        #expect(reasons.codes == ["court_order", "entered_in_error", "retention_ended", "survivor_request"])
        #expect(try reasons.check(code: "survivor_request", reference: nil).code == "survivor_request")
        #expect(try reasons.check(code: "court_order", reference: "KPC-114/2026").code == "court_order")
        // Free text is refused as a reason, without being echoed (the refusal is audited).
        let typed = "the survivor Keo asked on 1 December"
        #expect { try reasons.check(code: typed, reference: nil) } throws: { error in
            guard let e = error as? HavenError else { return false }
            return e.code == .invalidValue && !e.description.contains("Keo")
                && e.hint?.contains("court_order, entered_in_error, retention_ended, survivor_request") == true
        }
        // A court order needs its number; a reference is a reference, not a phrase or a name.
        #expect(throws: HavenError.self) { try reasons.check(code: "court_order", reference: nil) }
        for bad in ["Keo Phommachanh", "Keo", "", String(repeating: "1", count: 41), "-12", "12 3", "ລຳ12"] {
            #expect(!ErasureReasons.isReference(bad), "\(bad)")
            #expect(throws: HavenError.self) { try reasons.check(code: "survivor_request", reference: bad) }
        }
        for good in ["12", "KPC-114/2026", "req.2026:07_3", String(repeating: "a", count: 39) + "1"] {
            #expect(ErasureReasons.isReference(good), "\(good)")
        }
    }

    @Test func erasureYamlIsChecked() throws {
        let cases: [(String, String, String)] = [
            ("  court_order:\n", "  Court Order:\n", "must use a-z, 0-9 and '_' only"),
            ("reference: required", "reference: sometimes", "unknown reason 'court_order' reference 'sometimes'"),
            ("    reference: required\n", "    reference: required\n    note: free\n", "unknown key 'note'"),
            ("label: The record was entered in error", "label: ''", "has an empty label"),
        ]
        for (old, new, reason) in cases {
            var files = try ShippedPolicy.files()
            let i = files.firstIndex { $0.path == "erasure.yaml" }!
            let text = String(decoding: files[i].contents, as: UTF8.self)
            #expect(text.contains(old), "\(old)")
            let edited = text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
            files[i] = PolicyFile(path: "erasure.yaml", contents: Array(edited.utf8))
            #expect { try PolicyParser.parse(files) } throws: { error in
                guard let e = error as? PolicyError else { return false }
                let ok = e.file == "erasure.yaml" && e.reason.contains(reason)
                if !ok { Issue.record("expected \(reason), got \(e)") }
                return ok
            }
        }
        // A deployment's own list replaces the standard one; without the file, the standard four.
        var files = try ShippedPolicy.files()
        let i = files.firstIndex { $0.path == "erasure.yaml" }!
        files[i] = PolicyFile(path: "erasure.yaml", contents: Array("reasons:\n  duplicate:\n    label: A duplicate record\n    reference: none\n".utf8))
        let own = try PolicyParser.parse(files)
        #expect(own.erasure.codes == ["duplicate"])
        #expect(throws: HavenError.self) { try own.erasure.check(code: "duplicate", reference: "12") }
        let none = try PolicyParser.parse(try ShippedPolicy.files().filter { $0.path != "erasure.yaml" })
        #expect(none.erasure == .standard)
    }
}
