import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A referral rests on the survivor's consent and is between its parties, with the real
    /// binaries, socket and SQLite file: a withdrawal revokes it in the same write and no
    /// later grant brings it back; a lapsed grant opens nothing and the next grant revokes
    /// what rested on it; and a counsellor with no part in it, at either agency, learns
    /// nothing of it — not from `referral list`, `referral show`, a step, or a read's refusal.
    @Suite struct ReferralPartyTests {
        typealias R = ReferralTests
        static let note = "Hiding at her aunt's in Sikhottabong (referral note 5521)"

        /// The shipped vault of `ReferralTests` with a second counsellor at the shelter, who is
        /// never assigned: the third counsellor of the issue.
        static let withBystander = VaultTemplate { v in
            try v.enrol("shelter-intake", role: "intake", agency: R.shelter)
            try v.enrol("shelter-counsellor", role: "counsellor", agency: R.shelter)
            try v.enrol("shelter-bystander", role: "counsellor", agency: R.shelter)
            return try v.createRecord(["survivor_name": "Keo Phommachanh", "phone": "020 5551 7788", "incident_type": "physical_assault"])
        }

        /// A referral for shelter, accepted by the shelter's desk and assigned to its counsellor,
        /// with shelter and counselling consent granted.
        static func accepted(_ v: TestVault, _ id: String) throws -> String {
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let made = try R.refer(v, id, note: Self.note)
            #expect(made.status == 0, "\(made)")
            let ref = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref, "--assign", "shelter-counsellor"])
            return ref
        }

        @Test func aWithdrawalRevokesTheReferralAndANewGrantDoesNotReviveIt() throws {
            let (v, id) = try Self.withBystander.copy()
            let ref = try Self.accepted(v, id)
            #expect(try R.read(v, id, as: "shelter-counsellor").status == 0)

            // The survivor withdraws shelter consent, then grants it again for her own agency.
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            for user in ["shelter-intake", "shelter-counsellor"] {
                let r = try R.read(v, id, as: user)
                #expect(r.status == 3 && r.stderr.contains("referral \(ref) for shelter was revoked"), "\(user): \(r)")
                #expect(!r.stdout.contains("Keo") && !r.stderr.contains("Keo"))
            }
            // Revoked for good, for both sides, with the reason and who recorded the withdrawal.
            let out = try v.json(ReferralListResponse.self, as: "intake", ["referral", "list", "--outgoing"])
            #expect(out.referrals.map(\.status) == ["revoked"], "\(out)")
            let incoming = try v.json(ReferralListResponse.self, as: "shelter-intake", ["referral", "list"])
            #expect(incoming.referrals.map(\.status) == ["revoked"] && incoming.referrals.first?.record == nil, "\(incoming)")
            let detail = try v.json(ReferralDetail.self, as: "intake", ["referral", "show", ref])
            #expect(detail.steps.map(\.kind) == ["create", "accept", "revoke"], "\(detail.steps)")
            #expect(detail.steps.last?.text == "consent withdrawn" && detail.steps.last?.by == "intake")
            // Nobody can take it up again: it is not pending, and not live to revoke or close.
            #expect(try v.haven(as: "shelter-intake", ["referral", "accept", ref]).status == 3)
            #expect(try v.haven(as: "shelter-intake", ["referral", "close", ref, "--reason", "stay ended"]).status == 3)

            // The withdrawal's own audit entry names the referral it ended: one write.
            let log = try v.auditLog(["--record", id])
            let withdrawal = try #require(log.first { $0.action == "consent.record" && $0.detail["consent"] == "withdraw" })
            #expect(withdrawal.detail["referrals_revoked"] == ref && withdrawal.detail["referrals_revoked_reason"] == "consent withdrawn",
                    "\(withdrawal.detail)")
            #expect(!log.contains { $0.action == "referral.revoke" })

            // A withdrawal of another flag ends nothing; a new referral, accepted again, opens again.
            let again = try R.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(again != ref && again.count == 16)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", again])
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "statistics"])
            #expect(try R.read(v, id, as: "shelter-intake").status == 0)
            let states = try v.json(ReferralListResponse.self, as: "intake", ["referral", "list", "--outgoing"]).referrals
            #expect(Set(states.map { "\($0.ref) \($0.status)" }) == ["\(ref) revoked", "\(again) accepted"], "\(states)")
        }

        /// A pending referral ends with the consent too: accepting it after a new grant would
        /// open the record on a "yes" given for something else.
        @Test func aPendingReferralEndsWithItsConsent() throws {
            let (v, id) = try Self.withBystander.copy()
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let ref = try R.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let late = try v.haven(as: "shelter-intake", ["referral", "accept", ref])
            #expect(late.status == 3 && late.stderr.contains("is already revoked"), "\(late)")
        }

        /// A grant that expires writes nothing when it passes: the reach ends at the next
        /// request all the same, and the next grant revokes what rested on the lapsed one.
        @Test func anExpiredGrantEndsTheReachAndTheNextGrantRevokes() throws {
            let (v, id) = try Self.withBystander.copy()
            let expiry = Date().addingTimeInterval(4)
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter", "--expires", ISO8601DateFormatter().string(from: expiry)])
            let ref = try R.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref])
            #expect(try R.read(v, id, as: "shelter-intake").status == 0)
            Thread.sleep(until: expiry.addingTimeInterval(0.5))
            let lapsed = try R.read(v, id, as: "shelter-intake")
            #expect(lapsed.status == 3 && lapsed.stderr.contains("consent:shelter expired"), "\(lapsed)")
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let after = try R.read(v, id, as: "shelter-intake")
            #expect(after.status == 3 && after.stderr.contains("referral \(ref) for shelter was revoked"), "\(after)")
            let detail = try v.json(ReferralDetail.self, as: "intake", ["referral", "show", ref])
            #expect(detail.referral.status == "revoked" && detail.steps.last?.text == "consent expired", "\(detail)")
        }

        /// Another counsellor at either agency — not the sender, not a desk, not the assignee —
        /// sees no referral: none listed, `show` and every step answer as for a reference that
        /// names nothing, and a read's refusal does not mention it. The parties still see what
        /// they need.
        @Test func aThirdCounsellorAtEitherAgencySeesNothingOfTheReferral() throws {
            let (v, id) = try Self.withBystander.copy()
            let ref = try Self.accepted(v, id)
            let unknown = "aaaaaaaaaaaaaaaa"
            for user in ["shelter-bystander", "counsellor"] {
                for direction in ["--incoming", "--outgoing"] {
                    let list = try v.expectOK(as: user, ["referral", "list", direction, "--json"])
                    let listed = try JSONDecoder().decode(ReferralListResponse.self, from: Data(list.stdout.utf8))
                    #expect(listed.referrals.isEmpty && listed.unverified == 0, "\(user) \(direction): \(listed)")
                }
                let show = try v.haven(as: user, ["referral", "show", ref])
                let none = try v.haven(as: user, ["referral", "show", unknown])
                #expect(show.status == 4 && show.stderr == none.stderr.replacingOccurrences(of: unknown, with: ref), "\(user): \(show)")
                let close = try v.haven(as: user, ["referral", "close", ref, "--reason", "not mine to close"])
                #expect(close.status == 4 && close.stderr.contains("no referral \(ref)"), "\(user): \(close)")
                for r in [show, close] {
                    #expect(!r.stdout.contains(id) && !r.stderr.contains(id) && !r.stderr.contains("shelter-counsellor")
                            && !r.stderr.contains(R.purpose) && !r.stdout.contains("aunt"), "\(user): \(r)")
                }
            }
            // The shelter's third counsellor is refused the record without hearing of the referral.
            let read = try R.read(v, id, as: "shelter-bystander")
            #expect(read.status == 3 && !read.stderr.contains(ref) && !read.stderr.contains("referral"), "\(read)")

            // The parties: the sender and its desk, the receiving desk and the assignee.
            for (user, direction) in [("intake", "--outgoing"), ("shelter-intake", "--incoming"), ("shelter-counsellor", "--incoming")] {
                let listed = try v.json(ReferralListResponse.self, as: user, ["referral", "list", direction])
                #expect(listed.referrals.map(\.ref) == [ref] && listed.referrals.first?.record == id
                        && listed.referrals.first?.assignee == "shelter-counsellor", "\(user): \(listed)")
                let detail = try v.json(ReferralDetail.self, as: user, ["referral", "show", ref])
                #expect(detail.steps.first?.note == Self.note && detail.steps.first?.text == R.purpose, "\(user): \(detail)")
            }
            #expect(try R.read(v, id, as: "shelter-counsellor").status == 0)
            // The refusals are audited as what they are.
            let refused = try v.auditLog(["--record", id]).filter { $0.action == "referral.show" && $0.actor?.user != "intake" }
            #expect(refused.contains { $0.actor?.user == "shelter-bystander" && $0.decision == "deny" }, "\(refused.map(\.rule))")
        }
    }
}
