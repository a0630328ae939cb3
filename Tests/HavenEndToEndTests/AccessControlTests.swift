import Foundation
import Glibc
import HavenAPI
import Testing

extension EndToEnd {
    /// One test per row of SPEC §2, with the real daemon and CLI and the shipped policy.
    @Suite struct AccessControlTests {
        static let fullRecord: [String: String] = [
            "survivor_name": "ນາງ ສົມພອນ ວົງສະຫວັນ", "date_of_birth": "1999-04-02", "phone": "+856 20 5555 1234",
            "address": "Nguyễn Thị Hà, Hà Tĩnh", "incident_type": "rape", "incident_date": "2026-11-01",
            "perpetrator_relationship": "intimate_partner", "legal_status": "complaint filed",
        ]

        /// A record with values in every class, assigned to the counsellor, with health and
        /// counselling values written by the roles that may write them.
        func populated(_ v: TestVault, consent: [String] = ["counselling", "health"]) throws -> String {
            let id = try v.createRecord(Self.fullRecord, assign: ["counsellor"])
            for flag in Set(consent + ["counselling", "health"]) { try v.expectOK(as: "intake", ["consent", "grant", id, flag]) }
            try v.expectOK(as: "counsellor", ["record", "update", id, "--field", "counselling_notes=sleeping badly, safety plan made"])
            try v.expectOK(as: "health", ["record", "update", id, "--field", "health_notes=PEP started day 1"])
            for flag in ["counselling", "health"] where !consent.contains(flag) {
                try v.expectOK(as: "intake", ["consent", "withdraw", id, flag])
            }
            return id
        }

        func read(_ v: TestVault, _ user: String, _ id: String, _ extra: [String] = []) throws -> (CommandResult, ReadRecordResponse?) {
            let r = try v.haven(as: user, ["record", "get", id, "--purpose", "spec table test", "--json"] + extra)
            return (r, r.status == 0 ? try JSONDecoder().decode(ReadRecordResponse.self, from: Data(r.stdout.utf8)) : nil)
        }

        func released(_ r: ReadRecordResponse?) -> Set<String> { Set(r?.fields.keys ?? [:].keys) }

        @Test func intakeCreatesRecordsConsentAndNotesAndReadsItsAgencyButNotOthersHealthOrCounselling() throws {
            let v = try TestVault()
            let id = try populated(v)
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "health", "--text", "arrived with bruising"])
            try v.expectOK(as: "counsellor", ["note", "add", id, "--class", "counselling", "--text", "first session"])
            let (r, body) = try read(v, "intake", id)
            #expect(r.status == 0)
            #expect(released(body) == Set(Self.fullRecord.keys))
            #expect(body?.withheld.contains(.init(field: "health_notes", reason: "class health not permitted for role intake")) == true)
            #expect(body?.withheld.contains(.init(field: "counselling_notes", reason: "class counselling not permitted for role intake")) == true)
            // Its own health note comes back; the counsellor's note does not.
            #expect(body?.notes.map(\.text) == ["arrived with bruising"])
            #expect(body?.withheldNotes.count == 1)
            // Another agency's intake officer cannot read it.
            try v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            let other = try v.haven(as: "intake-lp", ["record", "get", id, "--purpose", "curious"])
            #expect(other.status == 3 && other.stderr.contains("record belongs to another agency"))
            #expect(try v.haven(as: "intake-lp", ["record", "list", "--json"]).stdout.contains(id) == false)
        }

        @Test func counsellorReadsOnlyAssignedRecordsWithCounsellingConsent() throws {
            let v = try TestVault()
            let id = try populated(v)
            let (ok, body) = try read(v, "counsellor", id)
            #expect(ok.status == 0)
            #expect(released(body).contains("counselling_notes") && !released(body).contains("health_notes"))

            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            let (notAssigned, _) = try read(v, "counsellor2", id)
            #expect(notAssigned.status == 3, "\(notAssigned)")
            #expect(notAssigned.stderr.contains("record not assigned to counsellor2"))
            #expect(!(try v.expectOK(as: "counsellor2", ["record", "list"]).stdout.contains(id)))

            // Break-glass: identity and contact only, flagged.
            let (glass, emergency) = try read(v, "counsellor2", id, ["--break-glass", "survivor called the hotline, in danger now"])
            #expect(glass.status == 0, "\(glass)")
            #expect(emergency?.breakGlass == true)
            #expect(released(emergency) == ["survivor_name", "date_of_birth", "phone", "address"])
            let (tooShort, _) = try read(v, "counsellor2", id, ["--break-glass", "urgent"])
            #expect(tooShort.status == 3)
        }

        @Test func consentWithdrawnBetweenTwoReadsDeniesTheSecond() throws {
            let v = try TestVault()
            let id = try populated(v)
            #expect(try read(v, "counsellor", id).0.status == 0)
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "counselling"])
            let (second, _) = try read(v, "counsellor", id)
            #expect(second.status == 3)
            #expect(second.stderr.contains("consent:counselling withdrawn"))
        }

        @Test func healthSeesIdentityIncidentAndHealthButNeverCounselling() throws {
            let v = try TestVault()
            let id = try populated(v)
            let (r, body) = try read(v, "health", id)
            #expect(r.status == 0)
            #expect(released(body) == ["survivor_name", "date_of_birth", "incident_type", "incident_date", "health_notes"])
            #expect(body?.withheld.contains(.init(field: "counselling_notes", reason: "class counselling not permitted for role health")) == true)
        }

        @Test func policeNeverReceiveHealthOrCounsellingAndNeedPoliceConsent() throws {
            let v = try TestVault()
            let id = try populated(v)
            let (denied, _) = try read(v, "police", id)
            #expect(denied.status == 3 && denied.stderr.contains("consent:police not granted"))
            try v.expectOK(as: "intake", ["consent", "grant", id, "police", "--evidence", "sha256:" + String(repeating: "5e", count: 32)])
            let (r, body) = try read(v, "police", id)
            #expect(r.status == 0)
            #expect(released(body) == ["survivor_name", "date_of_birth", "incident_type", "incident_date", "perpetrator_relationship"])
            #expect(!released(body).contains("health_notes") && !released(body).contains("counselling_notes"))
            #expect(body?.withheld.contains(.init(field: "health_notes", reason: "class health not permitted for role police")) == true)
            // Asking for a health field by name changes nothing.
            let (named, _) = try read(v, "police", id, ["--fields", "health_notes,counselling_notes"])
            #expect(named.status == 3)
            // Police may not break the glass.
            #expect(try read(v, "police", id, ["--break-glass", "suspect is at the shelter right now"]).0.status == 3)
        }

        @Test func anExpiredGrantDenies() throws {
            let v = try TestVault()
            let id = try populated(v)
            let soon = Date().addingTimeInterval(2.5)
            let f = ISO8601DateFormatter()
            try v.expectOK(as: "intake", ["consent", "grant", id, "police", "--expires", f.string(from: soon)])
            #expect(try read(v, "police", id).0.status == 0)
            Thread.sleep(until: soon.addingTimeInterval(0.3))
            let (after, _) = try read(v, "police", id)
            #expect(after.status == 3 && after.stderr.contains("consent:police expired"), "\(after)")
            let shown = try v.expectOK(as: "intake", ["consent", "show", id]).stdout
            #expect(shown.contains("expired"))
            // A grant that is already over is refused as a probable typo.
            #expect(try v.haven(as: "intake", ["consent", "grant", id, "police", "--expires", "2020-01-01"]).status == 1)
        }

        @Test func courtCannotBrowseOrListRecords() throws {
            let v = try TestVault()
            let id = try populated(v, consent: ["counselling", "health", "legal"])
            #expect(try v.haven(as: "court", ["record", "list"]).status == 3)
            #expect(try read(v, "court", id).0.status == 3)
        }

        @Test func administratorAuditorAndAnalystAreDeniedEveryRecordReadWithAndWithoutBreakGlass() throws {
            let v = try TestVault()
            let id = try populated(v, consent: ConsentFlagNames.all)
            for user in ["admin", "auditor", "analyst"] {
                let (plain, _) = try read(v, user, id)
                #expect(plain.status == 3, "\(user): \(plain)")
                let (glass, _) = try read(v, user, id, ["--break-glass", "I claim an emergency to read this record"])
                #expect(glass.status == 3, "\(user) with break-glass: \(glass)")
                #expect(glass.stderr.contains("break-glass not permitted for role \(user)"))
                #expect(try v.haven(as: user, ["record", "list"]).status == 3)
                #expect(try v.haven(as: user, ["consent", "show", id]).status == 3)
                #expect(try v.haven(as: user, ["record", "update", id, "--field", "phone=1"]).status == 3)
            }
        }

        @Test func assignmentIsLimitedToTheRolesThePolicyNames() throws {
            let v = try TestVault()
            let id = try v.createRecord(["incident_type": "rape"])
            #expect(try v.haven(as: "intake", ["record", "assign", id, "police"]).status == 3)
            try v.expectOK(as: "intake", ["record", "assign", id, "counsellor"])
            #expect(try v.expectOK(as: "counsellor", ["record", "list"]).stdout.contains(id))
        }
    }
}

enum ConsentFlagNames {
    static let all = ["counselling", "health", "police", "legal", "shelter", "statistics"]
}
