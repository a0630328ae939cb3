import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Referrals between agencies with the real binaries, socket and SQLite file: the
    /// receiving agency reaches a record only once it accepts, only for the service's classes,
    /// and only while the survivor's consent for the service holds; each step is audited
    /// against the record, and a step's words are sealed with it.
    @Suite struct ReferralTests {
        static let shelter = "lwu-shelter-vientiane"
        static let purpose = "shelter placement requested"

        /// A vault with an intake officer and a counsellor at the Lao Women's Union shelter,
        /// and a record of the OSSC with a name, a phone and an incident: made once by the CLI,
        /// copied for each test.
        static let shelterAndRecord = VaultTemplate { v in
            try v.enrol("shelter-intake", role: "intake", agency: shelter)
            try v.enrol("shelter-counsellor", role: "counsellor", agency: shelter)
            return try v.createRecord(["survivor_name": "Keo Phommachanh", "phone": "020 5551 7788", "incident_type": "physical_assault"])
        }

        static func vault() throws -> (TestVault, String) { try shelterAndRecord.copy() }

        static func read(_ v: TestVault, _ id: String, as user: String) throws -> CommandResult {
            try v.haven(as: user, ["record", "get", id, "--purpose", "arranging a safe room", "--json"])
        }

        static func refer(_ v: TestVault, _ id: String, service: String = "shelter", to: String = shelter,
                          note: String? = nil) throws -> CommandResult {
            var args = ["referral", "create", id, "--to", to, "--service", service, "--purpose", purpose]
            if let note {
                let file = v.root + "/note-\(UUID().uuidString).txt"
                try note.write(toFile: file, atomically: true, encoding: .utf8)
                args += ["--note-file", file]
            }
            return try v.haven(as: "intake", args)
        }

        @Test func theShelterSeesNothingBeforeAcceptingNameAndContactAfterAndNothingOnceConsentIsWithdrawn() throws {
            let (v, id) = try Self.vault()
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let note = "Needs a room tonight; arrives with two children (referral note 4417)"
            let made = try Self.refer(v, id, note: note)
            #expect(made.status == 0, "\(made)")
            let ref = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(ref.count == 16)

            // Pending: the shelter learns that a referral waits, and nothing of the survivor.
            let before = try Self.read(v, id, as: "shelter-intake")
            #expect(before.status == 3 && before.stderr.contains("referral \(ref) for shelter is not yet accepted"), "\(before)")
            #expect(!before.stdout.contains("Keo") && !before.stderr.contains("Keo"))
            let waiting = try v.json(ReferralListResponse.self, as: "shelter-intake", ["referral", "list", "--incoming"])
            #expect(waiting.referrals.count == 1)
            let line = try #require(waiting.referrals.first)
            #expect(line.ref == ref && line.service == "shelter" && line.from == "ossc-vientiane" && line.status == "pending")
            #expect(line.record == nil && line.createdBy == nil, "\(line)")
            let shownBefore = try v.expectOK(as: "shelter-intake", ["referral", "show", ref, "--json"])
            #expect(!shownBefore.stdout.contains(id) && !shownBefore.stdout.contains("two children") && !shownBefore.stdout.contains(Self.purpose),
                    "\(shownBefore.stdout)")
            // The sender sees its referral whole.
            let sent = try v.json(ReferralListResponse.self, as: "intake", ["referral", "list", "--outgoing", "--status", "pending"])
            #expect(sent.referrals.map(\.record) == [id] && sent.referrals.first?.createdBy == "intake")

            // Accepted: name and contact, nothing of the incident; the decision names the referral.
            let accepted = try v.expectOK(as: "shelter-intake", ["referral", "accept", ref])
            #expect(accepted.stdout == "referral \(ref) accepted: record \(id)\n", "\(accepted)")
            let after = try Self.read(v, id, as: "shelter-intake")
            #expect(after.status == 0, "\(after)")
            let record = try JSONDecoder().decode(ReadRecordResponse.self, from: Data(after.stdout.utf8))
            #expect(record.fields["survivor_name"] == "Keo Phommachanh" && record.fields["phone"] == "020 5551 7788", "\(record.fields)")
            #expect(record.fields["incident_type"] == nil)
            #expect(record.withheld.contains {
                $0.field == "incident_type" && $0.reason == "class incident not shared by referral \(ref) accepted for shelter"
            }, "\(record.withheld)")
            // The service writes contact, never the incident.
            try v.expectOK(as: "shelter-intake", ["record", "update", id, "--field", "phone=020 5551 9900"])
            let incident = try v.haven(as: "shelter-intake", ["record", "update", id, "--field", "incident_type=rape"])
            #expect(incident.status == 3 && incident.stderr.contains("not shared for writing by referral \(ref)"), "\(incident)")
            // Once accepted the shelter reads the sender's note.
            let detail = try v.json(ReferralDetail.self, as: "shelter-intake", ["referral", "show", ref])
            #expect(detail.referral.record == id && detail.steps.map(\.kind) == ["create", "accept"])
            #expect(detail.steps.first?.note == note && detail.steps.first?.text == Self.purpose)

            // The survivor withdraws shelter consent: the referral is revoked with it, and
            // nothing is shared from the very next request.
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "shelter"])
            let withdrawn = try Self.read(v, id, as: "shelter-intake")
            #expect(withdrawn.status == 3 && withdrawn.stderr.contains("referral \(ref) for shelter was revoked"), "\(withdrawn)")
            #expect(!withdrawn.stdout.contains("020 5551"))

            // Every step is in the audit log against the record, in order.
            let chain = try v.auditLog(["--record", id]).filter { $0.actor?.user != "auditor" }
            let steps = chain.map { "\($0.action) \($0.decision)" }
            #expect(steps == ["record.create allow", "consent.record allow", "referral.create allow", "record.read deny",
                              "referral.show allow", "referral.accept allow", "record.read allow", "record.update allow",
                              "record.update deny", "referral.show allow", "consent.record allow", "record.read deny"], "\(steps)")
            let read = try #require(chain.first { $0.action == "record.read" && $0.decision == "allow" })
            #expect(read.rule == "referral \(ref) accepted for shelter; role intake may record.read under its own rules", "\(read.rule)")
            #expect(read.actor?.agency == Self.shelter && read.released.sorted() == ["phone", "survivor_name"])
            let create = try #require(chain.first { $0.action == "referral.create" })
            #expect(create.detail["referral"] == ref && create.detail["service"] == "shelter" && create.detail["to"] == Self.shelter)
            #expect(create.purpose == Self.purpose)
            let text = try v.expectOK(as: "auditor", ["audit", "log", "--record", id]).stdout
            #expect(text.contains("referral.create") && text.contains("referral.accept"), "\(text)")

            // The note is sealed: it is in no file of the vault.
            v.stop()
            for file in try v.dataFiles() + [v.log] {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                #expect(bytes.range(of: Data("referral note 4417".utf8)) == nil && bytes.range(of: Data("two children".utf8)) == nil,
                        "\(file)")
            }
        }

        @Test func withoutConsentOrOfferNoReferralADeclinedOneGrantsNothingARevokedOneEndsAtTheNextRequest() throws {
            let (v, id) = try Self.vault()
            // No police consent: refused, and audited.
            let police = try Self.refer(v, id, service: "police", to: "police-vientiane")
            #expect(police.status == 3 && police.stderr.contains("consent:police not granted"), "\(police)")
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            // A hospital does not offer shelter; an agency outside the list is a value to
            // correct (exit 1), not a refusal.
            let hospital = try Self.refer(v, id, to: "mahosot-hospital")
            #expect(hospital.status == 3 && hospital.stderr.contains("agency mahosot-hospital does not offer shelter"), "\(hospital)")
            let unknown = try Self.refer(v, id, to: "no-such-agency")
            #expect(unknown.status == 1 && unknown.stderr.contains("invalid_value: unknown agency 'no-such-agency'"), "\(unknown)")
            // Only the record's own agency refers it.
            let foreign = try v.haven(as: "shelter-intake", ["referral", "create", id, "--to", "ossc-luang-prabang", "--service",
                                                             "counselling", "--purpose", Self.purpose])
            #expect(foreign.status == 3, "\(foreign)")

            // Declined: nothing opens, and it cannot be accepted afterwards.
            let declined = try Self.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let twice = try Self.refer(v, id)
            #expect(twice.status == 3 && twice.stderr.contains("referral \(declined) for shelter to \(Self.shelter) is already pending"),
                    "\(twice)")
            let answer = try v.json(ReferralWriteResponse.self, as: "shelter-intake",
                                    ["referral", "decline", declined, "--reason", "no bed free this week"])
            #expect(answer.status == "declined" && answer.record == nil, "\(answer)")  // it never learns which record
            let afterDecline = try Self.read(v, id, as: "shelter-intake")
            #expect(afterDecline.status == 3 && afterDecline.stderr.contains("referral \(declined) for shelter was declined"),
                    "\(afterDecline)")
            let late = try v.haven(as: "shelter-intake", ["referral", "accept", declined])
            #expect(late.status == 3 && late.stderr.contains("is already declined"), "\(late)")

            // Accepted, then revoked by the sender: reach ends at the next request.
            let revoked = try Self.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // A counsellor answers no referral (it is no party to one not assigned to it, and
            // hears of none); the receiving agency cannot revoke.
            let byCounsellor = try v.haven(as: "shelter-counsellor", ["referral", "accept", revoked])
            #expect(byCounsellor.status == 4 && byCounsellor.stderr.contains("no referral \(revoked)"), "\(byCounsellor)")
            try v.expectOK(as: "shelter-intake", ["referral", "accept", revoked, "--assign", "shelter-counsellor"])
            #expect(try Self.read(v, id, as: "shelter-intake").status == 0)
            // The assigned counsellor reaches it under the counsellor's own rules (counselling consent).
            let noCounselling = try Self.read(v, id, as: "shelter-counsellor")
            #expect(noCounselling.status == 3 && noCounselling.stderr.contains("consent:counselling"), "\(noCounselling)")
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            #expect(try Self.read(v, id, as: "shelter-counsellor").status == 0)
            let wrongSide = try v.haven(as: "shelter-intake", ["referral", "revoke", revoked, "--reason", "not ours to end"])
            #expect(wrongSide.status == 3 && wrongSide.stderr.contains("only agency ossc-vientiane"), "\(wrongSide)")
            let noReason = try v.haven(as: "intake", ["referral", "revoke", revoked, "--reason", "  "])
            #expect(noReason.status == 1, "\(noReason)")
            try v.expectOK(as: "intake", ["referral", "revoke", revoked, "--reason", "survivor moved to her sister's home"])
            for user in ["shelter-intake", "shelter-counsellor"] {
                let after = try Self.read(v, id, as: user)
                #expect(after.status == 3 && after.stderr.contains("referral \(revoked) for shelter was revoked"), "\(user): \(after)")
            }
            // A closing ends it too.
            let closed = try Self.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", closed])
            #expect(try Self.read(v, id, as: "shelter-intake").status == 0)
            try v.expectOK(as: "shelter-intake", ["referral", "close", closed, "--reason", "stay ended"])
            let afterClose = try Self.read(v, id, as: "shelter-intake")
            #expect(afterClose.status == 3 && afterClose.stderr.contains("is closed"), "\(afterClose)")

            // The lists show each in its state; the declined one never showed the record.
            let incoming = try v.json(ReferralListResponse.self, as: "shelter-intake", ["referral", "list"])
            #expect(Set(incoming.referrals.map(\.status)) == ["declined", "revoked", "closed"] && incoming.unverified == 0)
            #expect(incoming.referrals.allSatisfy { $0.record == nil })
            let bad = try v.haven(as: "shelter-intake", ["referral", "list", "--status", "lost"])
            #expect(bad.status == 1, "\(bad)")
            // Separated duties never touch referrals.
            for user in ["auditor", "admin", "analyst"] {
                #expect(try v.haven(as: user, ["referral", "list"]).status == 3, "\(user)")
            }

            let log = try v.auditLog(["--record", id]).filter { $0.action.hasPrefix("referral.") }
            let names = log.map { "\($0.action) \($0.decision)" }
            #expect(names.filter { $0 == "referral.create deny" }.count == 4, "\(names)")
            // The agency outside the list is in the log as the mistake it was, not a refusal.
            #expect(log.contains { $0.action == "referral.create" && $0.outcome == "invalid_value" }, "\(names)")
            #expect(names.contains("referral.decline allow") && names.contains("referral.revoke allow") && names.contains("referral.close allow"))
            #expect(log.first { $0.action == "referral.decline" }?.purpose == "no bed free this week")
        }

        /// Someone who can write the vault's files but holds no root key: an index row edited to
        /// "accepted", the record put back to its state from before a revocation, referral steps
        /// swapped, a referral forged into the index — none opens anything, each is caught.
        @Test func editingTheFileNeverAcceptsRevivesOrForgesAReferral() throws {
            let (v, id) = try Self.vault()
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let ref = try Self.refer(v, id, note: "a note").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // The index says accepted; the sealed header says pending, and decides.
            try v.execute("UPDATE referrals SET status = 'accepted' WHERE id = ?", [ref])
            let edited = try Self.read(v, id, as: "shelter-intake")
            #expect(edited.status == 3 && edited.stderr.contains("is not yet accepted"), "\(edited)")
            let listed = try v.json(ReferralListResponse.self, as: "shelter-intake", ["referral", "list"])
            #expect(listed.referrals.isEmpty && listed.unverified == 1, "\(listed)")
            try v.execute("UPDATE referrals SET status = 'pending' WHERE id = ?", [ref])

            // Accepted, the record row kept, then revoked: putting the accepted state back
            // opens nothing — it is not the record's latest audited state.
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref])
            let kept = try v.withDatabase { db -> ([UInt8], Int64, Int64) in
                let s = try db.statement("SELECT header, version, updated_at FROM records WHERE id = ?")
                try s.bind(1, id)
                _ = try s.step()
                return (s.blob(0), s.int64(1), s.int64(2))
            }
            try v.expectOK(as: "intake", ["referral", "revoke", ref, "--reason", "survivor asked to stop"])
            try v.withDatabase { db in
                try db.statement("UPDATE records SET header = ?, version = ?, updated_at = ? WHERE id = ?")
                    .bind(1, blob: kept.0).bind(2, kept.1).bind(3, kept.2).bind(4, id).run()
            }
            let revived = try Self.read(v, id, as: "shelter-intake")
            #expect(revived.status == 1 && revived.stderr.contains(#""code":"integrity_error""#), "\(revived)")
            #expect(!revived.stdout.contains("Keo") && !revived.stderr.contains("Keo"))

            // On a fresh record: two referral steps swapped between their places fail to open.
            let other = try v.createRecord(["survivor_name": "Second Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", other, "shelter"])
            let second = try Self.refer(v, other).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", second])
            #expect(try v.expectOK(as: "intake", ["referral", "show", second]).stdout.contains("accept"))
            let one = try v.scalarBlob("SELECT event FROM referral_events WHERE record_id = ? AND idx = 1", [other])
            let two = try v.scalarBlob("SELECT event FROM referral_events WHERE record_id = ? AND idx = 2", [other])
            try v.execute("UPDATE referral_events SET event = ? WHERE record_id = ? AND idx = 1", [two, other])
            try v.execute("UPDATE referral_events SET event = ? WHERE record_id = ? AND idx = 2", [one, other])
            let swapped = try v.haven(as: "intake", ["referral", "show", second])
            #expect(swapped.status == 1 && swapped.stderr.hasPrefix("haven: integrity_error"), "\(swapped)")

            // A referral forged into the index, naming the record: accepting it is an integrity
            // error, audited as such, and opens nothing.
            let forged = "aaaaaaaaaaaaaaaa"
            try v.execute("""
                INSERT INTO referrals (id, record_id, from_agency, to_agency, service, status, created_at, updated_at)
                VALUES (?, ?, 'ossc-vientiane', ?, 'shelter', 'pending', 1, 1)
                """, [forged, other, Self.shelter])
            let accept = try v.haven(as: "shelter-intake", ["referral", "accept", forged])
            #expect(accept.status == 1 && accept.stderr.hasPrefix("haven: integrity_error"), "\(accept)")
            let entry = try #require(try v.auditLog(["--record", other]).last { $0.action == "referral.accept" })
            #expect(entry.decision != "allow" && entry.detail["integrity"]?.contains(forged) == true, "\(entry)")
            #expect(try Self.read(v, other, as: "shelter-intake").status == 0)  // the genuine referral still stands
        }
    }
}
