import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `referral assign` and `referral unassign` with the real binaries, socket and SQLite
    /// file (issue 32, items 2 and 3): the receiving agency's desk names the user who works an
    /// accepted referral after accepting it, hands it over or clears it, in one audited write
    /// with a sealed history step; the one handed over from is refused at her next request,
    /// even on a session she kept open; and nobody else may do it.
    @Suite struct ReferralAssignTests {
        typealias R = ReferralTests

        static let template = VaultTemplate { v in
            try v.enrol("shelter-intake", role: "intake", agency: R.shelter)
            try v.enrol("phet", role: "counsellor", agency: R.shelter)
            try v.enrol("noy", role: "counsellor", agency: R.shelter)
            return try v.createRecord(["survivor_name": "Keo Phommachanh", "phone": "020 5551 7788", "incident_type": "physical_assault"])
        }

        /// A shelter referral accepted with nobody assigned.
        static func acceptedUnassigned(_ v: TestVault, _ id: String) throws -> String {
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let made = try R.refer(v, id)
            #expect(made.status == 0, "\(made)")
            let ref = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref])
            return ref
        }

        static func listed(_ v: TestVault, _ user: String) throws -> [String] {
            try v.json(RecordListResponse.self, as: user, ["record", "list"]).records.map(\.id)
        }

        @Test func theDeskNamesHandsOverAndClearsTheAssigneeWhoseReachEndsAtHerNextRequest() async throws {
            let (v, id) = try Self.template.copy()
            let ref = try Self.acceptedUnassigned(v, id)
            #expect(try R.read(v, id, as: "phet").status == 3)
            #expect(try Self.listed(v, "phet").isEmpty)

            try v.expectOK(as: "shelter-intake", ["referral", "assign", ref, "phet"])
            #expect(try Self.listed(v, "phet") == [id])
            let c = try await RawConnection.authenticated(v.socket, key: try v.signingKey("phet"))
            let read = FuzzCorpus.request("POST", "/v1/records/\(id)/read", body: #"{"purpose":"arranging a safe room"}"#)
            let before = try #require(await c.exchange(read))
            #expect(before.status == 200 && before.text.contains("Keo"), "\(before.text)")

            // Handed over to noy: phet's open session is refused at its next request.
            try v.expectOK(as: "shelter-intake", ["referral", "assign", ref, "noy"])
            let after = try #require(await c.exchange(read))
            #expect(after.status == 403 && !after.text.contains("Keo"), "\(after.text)")
            let list = try #require(await c.exchange(FuzzCorpus.request("GET", "/v1/records?order=newest")))
            #expect(list.status == 200 && !list.text.contains(id), "\(list.text)")
            await c.close()
            #expect(try R.read(v, id, as: "noy").status == 0)
            #expect(try Self.listed(v, "noy") == [id])

            // The desk clears it: noy is refused too; the record stays the shelter desk's.
            try v.expectOK(as: "shelter-intake", ["referral", "unassign", ref])
            #expect(try R.read(v, id, as: "noy").status == 3)
            #expect(try Self.listed(v, "noy").isEmpty)
            #expect(try Self.listed(v, "shelter-intake") == [id])

            // Each step is a sealed history row the sender and the desk read, and an audit entry.
            let detail = try v.json(ReferralDetail.self, as: "shelter-intake", ["referral", "show", ref])
            #expect(detail.steps.map(\.kind) == ["create", "accept", "assign", "assign", "unassign"], "\(detail.steps)")
            #expect(detail.steps.map(\.assignee) == [nil, nil, "phet", "noy", "noy"])
            #expect(detail.referral.assignee == nil && detail.referral.status == "accepted")
            let shown = try v.haven(as: "shelter-intake", ["referral", "show", ref])
            #expect(shown.stdout.contains("assign (assigned phet)") && shown.stdout.contains("unassign (unassigned noy)"), "\(shown.stdout)")
            let chain = try v.auditLog(["--record", id]).filter { $0.action.hasPrefix("referral.") && $0.action != "referral.show" }
            #expect(chain.map { "\($0.action) \($0.decision) \($0.actor?.user ?? "")" }
                    == ["referral.create allow intake", "referral.accept allow shelter-intake", "referral.assign allow shelter-intake",
                        "referral.assign allow shelter-intake", "referral.unassign allow shelter-intake"], "\(chain.map(\.action))")
            #expect(chain[2].detail["assigned"] == "phet" && chain[2].detail["unassigned"] == nil, "\(chain[2].detail)")
            #expect(chain[3].detail["assigned"] == "noy" && chain[3].detail["unassigned"] == "phet", "\(chain[3].detail)")
            #expect(chain[4].detail["unassigned"] == "noy", "\(chain[4].detail)")
            let refusals = try v.auditLog(["--record", id]).filter { $0.action == "record.read" && $0.decision == "deny" }
            #expect(refusals.map { $0.actor?.user ?? "" }.suffix(2) == ["phet", "noy"], "\(refusals.map(\.actor))")

            // The index rows moved with the sealed header: the next start repairs nothing.
            v.stop()
            try v.start()
            #expect(try DerivedRowsTamperTests.entries(v, "vault.repair").isEmpty)
            #expect(try R.read(v, id, as: "phet").status == 3)
        }

        @Test func nobodyButTheReceivingDeskAssignsAndOnlyItsOwnAssignableStaff() throws {
            let (v, id) = try Self.template.copy()
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let ref = try R.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // Only an accepted referral is assigned.
            let pending = try v.haven(as: "shelter-intake", ["referral", "assign", ref, "phet"])
            #expect(pending.status == 3 && pending.stderr.contains("only an accepted referral is assigned"), "\(pending)")
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref])

            let away = try v.haven(as: "shelter-intake", ["referral", "assign", ref, "counsellor"])
            #expect(away.status == 3 && away.stderr.contains("hint: assign a user of \(R.shelter)"), "\(away)")
            let sender = try v.haven(as: "intake", ["referral", "assign", ref, "phet"])
            #expect(sender.status == 3, "\(sender)")
            for user in ["counsellor", "police", "phet"] {
                let r = try v.haven(as: user, ["referral", "assign", ref, "phet"])
                #expect(r.status == 4 && r.stderr.contains("no referral \(ref)"), "\(user): \(r)")
                #expect(try v.haven(as: user, ["referral", "unassign", ref]).status == 4)
            }
            let nobody = try v.haven(as: "shelter-intake", ["referral", "unassign", ref])
            #expect(nobody.status == 1 && nobody.stderr.contains("has no assignee"), "\(nobody)")
            try v.expectOK(as: "shelter-intake", ["referral", "assign", ref, "phet"])
            // The assignee herself may not hand it on.
            let onward = try v.haven(as: "phet", ["referral", "assign", ref, "noy"])
            #expect(onward.status == 3, "\(onward)")
            let twice = try v.haven(as: "shelter-intake", ["referral", "assign", ref, "phet"])
            #expect(twice.status == 1 && twice.stderr.contains("already assigned to phet"), "\(twice)")
            #expect(!(try v.auditLog(["--record", id]).contains { $0.action == "referral.assign" && $0.actor?.user == "intake"
                                                                   && $0.decision == "allow" }))
            #expect(try R.read(v, id, as: "phet").status == 0)
        }
    }
}
