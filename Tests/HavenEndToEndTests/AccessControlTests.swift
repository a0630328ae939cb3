import Foundation
import Glibc
import HavenAPI
import Testing

extension EndToEnd {
    /// One test per row of SPEC §2, with the shipped policy, against the vault service and
    /// server in this process over a real socket and real sessions (`InProcessVault`). The
    /// CLI's side of the same refusals (exit status 3, the reason on stderr) is in
    /// CLITranscriptTests.
    @Suite struct AccessControlTests {
        static let fullRecord: [String: String] = [
            "survivor_name": "ນາງ ສົມພອນ ວົງສະຫວັນ", "date_of_birth": "1999-04-02", "phone": "+856 20 5555 1234",
            "address": "Nguyễn Thị Hà, Hà Tĩnh", "incident_type": "rape", "incident_date": "2026-11-01",
            "perpetrator_relationship": "intimate_partner", "legal_status": "complaint filed",
        ]

        /// A record with values in every class, assigned to the counsellor, with health and
        /// counselling values written by the roles that may write them.
        func populated(_ v: InProcessVault, consent: [String] = ["counselling", "health"]) async throws -> String {
            let id = try await v.createRecord(Self.fullRecord, assign: ["counsellor"])
            for flag in Set(consent + ["counselling", "health"]) { #expect(try await v.consent(id, flag, "grant").status == 200) }
            _ = try await v.ok("counsellor", .PATCH, "/v1/records/\(id)",
                               UpdateRecordRequest(fields: ["counselling_notes": "sleeping badly, safety plan made"]))
            _ = try await v.ok("health", .PATCH, "/v1/records/\(id)", UpdateRecordRequest(fields: ["health_notes": "PEP started day 1"]))
            for flag in ["counselling", "health"] where !consent.contains(flag) {
                #expect(try await v.consent(id, flag, "withdraw").status == 200)
            }
            return id
        }

        func released(_ a: InProcessVault.Answer) -> Set<String> {
            Set((try? a.decode(ReadRecordResponse.self))?.fields.keys ?? [:].keys)
        }

        func note(_ v: InProcessVault, _ user: String, _ id: String, _ noteClass: String, _ text: String) async throws {
            _ = try await v.ok(user, .POST, "/v1/records/\(id)/notes", AddNoteRequest(noteClass: noteClass, text: text))
        }

        func listed(_ v: InProcessVault, _ user: String) async throws -> InProcessVault.Answer {
            try await v.call(user, .GET, "/v1/records?order=newest&limit=200")
        }

        @Test func intakeCreatesRecordsConsentAndNotesAndReadsItsAgencyButNotOthersHealthOrCounselling() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            try await note(v, "intake", id, "health", "arrived with bruising")
            try await note(v, "counsellor", id, "counselling", "first session")
            let r = try await v.read("intake", id)
            let body = try r.decode(ReadRecordResponse.self)
            #expect(released(r) == Set(Self.fullRecord.keys))
            #expect(body.withheld.contains(.init(field: "health_notes", reason: "class health not permitted for role intake")))
            #expect(body.withheld.contains(.init(field: "counselling_notes", reason: "class counselling not permitted for role intake")))
            // Its own health note comes back; the counsellor's note does not.
            #expect(body.notes.map(\.text) == ["arrived with bruising"])
            #expect(body.withheldNotes.count == 1)
            // Another agency's intake officer cannot read it.
            try await v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            let other = try await v.read("intake-lp", id)
            #expect(other.status == 403 && other.error?.message.contains("record belongs to another agency") == true, "\(other.text)")
            #expect(try await listed(v, "intake-lp").decode(RecordListResponse.self).records.allSatisfy { $0.id != id })
            await v.stop()
        }

        @Test func counsellorReadsOnlyAssignedRecordsWithCounsellingConsent() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            let ok = try await v.read("counsellor", id)
            #expect(ok.status == 200)
            #expect(released(ok).contains("counselling_notes") && !released(ok).contains("health_notes"))

            try await v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            let notAssigned = try await v.read("counsellor2", id)
            #expect(notAssigned.status == 403 && notAssigned.error?.message.contains("record not assigned to counsellor2") == true,
                    "\(notAssigned.text)")
            #expect(try await listed(v, "counsellor2").decode(RecordListResponse.self).records.allSatisfy { $0.id != id })

            // Break-glass: identity and contact only, flagged.
            let glass = try await v.read("counsellor2", id, breakGlass: "survivor called the hotline, in danger now")
            #expect(glass.status == 200, "\(glass.text)")
            #expect(try glass.decode(ReadRecordResponse.self).breakGlass)
            #expect(released(glass) == ["survivor_name", "date_of_birth", "phone", "address"])
            #expect(try await v.read("counsellor2", id, breakGlass: "urgent").status == 403)
            await v.stop()
        }

        @Test func consentWithdrawnBetweenTwoReadsDeniesTheSecond() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            #expect(try await v.read("counsellor", id).status == 200)
            #expect(try await v.consent(id, "counselling", "withdraw").status == 200)
            let second = try await v.read("counsellor", id)
            #expect(second.status == 403 && second.error?.message.contains("consent:counselling withdrawn") == true, "\(second.text)")
            await v.stop()
        }

        @Test func healthSeesIdentityIncidentAndHealthButNeverCounselling() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            let r = try await v.read("health", id)
            #expect(released(r) == ["survivor_name", "date_of_birth", "incident_type", "incident_date", "health_notes"])
            #expect(try r.decode(ReadRecordResponse.self).withheld
                .contains(.init(field: "counselling_notes", reason: "class counselling not permitted for role health")))
            await v.stop()
        }

        @Test func policeNeverReceiveHealthOrCounsellingAndNeedPoliceConsent() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            let denied = try await v.read("police", id)
            #expect(denied.status == 403 && denied.error?.message.contains("consent:police not granted") == true, "\(denied.text)")
            #expect(try await v.consent(id, "police", "grant", evidence: "sha256:" + String(repeating: "5e", count: 32)).status == 200)
            let r = try await v.read("police", id)
            #expect(released(r) == ["survivor_name", "date_of_birth", "incident_type", "incident_date", "perpetrator_relationship"])
            #expect(try r.decode(ReadRecordResponse.self).withheld
                .contains(.init(field: "health_notes", reason: "class health not permitted for role police")))
            // Asking for a health field by name changes nothing.
            #expect(try await v.read("police", id, fields: ["health_notes", "counselling_notes"]).status == 403)
            // Police may not break the glass.
            #expect(try await v.read("police", id, breakGlass: "suspect is at the shelter right now").status == 403)
            await v.stop()
        }

        @Test func anExpiredGrantDenies() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v)
            let soon = Date().addingTimeInterval(2.5)
            #expect(try await v.consent(id, "police", "grant", expires: ISO8601DateFormatter().string(from: soon)).status == 200)
            #expect(try await v.read("police", id).status == 200)
            try await Task.sleep(for: .seconds(soon.addingTimeInterval(0.3).timeIntervalSinceNow))
            let after = try await v.read("police", id)
            #expect(after.status == 403 && after.error?.message.contains("consent:police expired") == true, "\(after.text)")
            let shown = try await v.ok("intake", .GET, "/v1/records/\(id)/consent", as: ConsentResponse.self)
            #expect(shown.flags.contains { $0.flag == "police" && $0.state == "expired" })
            // A grant that is already over is refused as a probable typo.
            let past = try await v.consent(id, "police", "grant", expires: "2020-01-01")
            #expect(past.status == 400 && past.error?.code == "invalid_value", "\(past.text)")
            await v.stop()
        }

        @Test func courtCannotBrowseOrListRecords() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v, consent: ["counselling", "health", "legal"])
            #expect(try await listed(v, "court").status == 403)
            #expect(try await v.read("court", id).status == 403)
            await v.stop()
        }

        @Test func administratorAuditorAndAnalystAreDeniedEveryRecordReadWithAndWithoutBreakGlass() async throws {
            let v = try await InProcessVault.start()
            let id = try await populated(v, consent: ConsentFlagNames.all)
            for user in ["admin", "auditor", "analyst"] {
                #expect(try await v.read(user, id).status == 403, "\(user)")
                let glass = try await v.read(user, id, breakGlass: "I claim an emergency to read this record")
                #expect(glass.status == 403 && glass.error?.message.contains("break-glass not permitted for role \(user)") == true,
                        "\(user) with break-glass: \(glass.text)")
                #expect(try await listed(v, user).status == 403)
                #expect(try await v.call(user, .GET, "/v1/records/\(id)/consent").status == 403)
                #expect(try await v.call(user, .PATCH, "/v1/records/\(id)", UpdateRecordRequest(fields: ["phone": "1"])).status == 403)
            }
            await v.stop()
        }

        @Test func assignmentIsLimitedToTheRolesThePolicyNames() async throws {
            let v = try await InProcessVault.start()
            let id = try await v.createRecord(["incident_type": "rape"])
            #expect(try await v.call("intake", .POST, "/v1/records/\(id)/assign", AssignRequest(user: "police")).status == 403)
            #expect(try await v.call("intake", .POST, "/v1/records/\(id)/assign", AssignRequest(user: "counsellor")).status == 200)
            #expect(try await listed(v, "counsellor").decode(RecordListResponse.self).records.contains { $0.id == id })
            await v.stop()
        }
    }
}

enum ConsentFlagNames {
    static let all = ["counselling", "health", "police", "legal", "shelter", "statistics"]
}
