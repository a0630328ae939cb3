import Foundation
import HavenAPI
import HavenDesk
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The desk's read pages against the real havend: each person sees what havend releases
    /// to them and no more, names are shown only on request and audited, and nothing a role
    /// may not see reaches its HTML.
    @Suite struct WebRecordReadTests {
        static let name = "Vilay Phommachanh"
        static let phone = "020 7777 1234"

        @Test func theListShowsARecordToItsCounsellorAndNotToAnotherAgency() async throws {
            let v = try TestVault()
            try v.enrol("counsellor-lp", role: "counsellor", agency: "ossc-luang-prabang")
            let id = try v.createRecord(["survivor_name": Self.name, "phone": Self.phone, "incident_type": "rape"], assign: ["counsellor"])
            let unassigned = try v.createRecord(["survivor_name": "Other Person", "incident_type": "rape"])

            let counsellor = try await ReadDesk(v, "counsellor", role: "counsellor", agency: "ossc-vientiane")
            let mine = try await counsellor.get("/records")
            #expect(mine.status == 200)
            #expect(mine.readPageText.contains("<tr data-record=\"\(id)\""))
            #expect(!mine.readPageText.contains(unassigned))
            #expect(!mine.readPageText.contains(Self.name) && !mine.readPageText.contains("7777"))
            #expect(mine.readPageText.contains("class=\"reveal-name\" data-record=\"\(id)\""))

            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")
            let agency = try await intake.get("/records", query: ["scope": "agency"])
            #expect(agency.readPageText.contains(id) && agency.readPageText.contains(unassigned))
            // Intake is assigned to neither: its own list is empty.
            let intakeMine = try await intake.get("/records", query: ["scope": "mine"])
            #expect(!intakeMine.readPageText.contains(id) && intakeMine.readPageText.contains("Only records assigned to you"))

            let other = try await ReadDesk(v, "counsellor-lp", role: "counsellor", agency: "ossc-luang-prabang")
            for scope in ["mine", "agency"] {
                let theirs = try await other.get("/records", query: ["scope": scope])
                #expect(!theirs.readPageText.contains(id) && !theirs.readPageText.contains(unassigned))
            }
            let refused = try await other.get("/records/\(id)")
            #expect(refused.status == 403 || refused.status == 404)
            #expect(!refused.readPageText.contains(Self.name))
        }

        @Test func aNameIsShownOnRequestOnlyAndTheReadIsAudited() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": Self.name, "phone": Self.phone, "incident_type": "rape"], assign: ["counsellor"])
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")
            let shown = try await intake.post("/records/\(id)/name", form: ["type": "gbv_incident"])
            #expect(shown.status == 200 && shown.readPageText == Self.name)
            let reads = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.action == "record.read" }
            let last = try #require(reads.last)
            #expect(last.actor?.user == "intake" && last.released == ["survivor_name"])
            #expect(last.purpose == ReadPurpose.revealName)

            // The counsellor without the survivor's counselling consent: refused, in words, no name.
            let counsellor = try await ReadDesk(v, "counsellor", role: "counsellor", agency: "ossc-vientiane")
            let refused = try await counsellor.post("/records/\(id)/name")
            #expect(refused.status == 403 && !refused.readPageText.contains("Vilay"))
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let now = try await counsellor.post("/records/\(id)/name")
            #expect(now.status == 200 && now.readPageText == Self.name)
        }

        @Test func aFieldTheRoleMayNotSeeNeverReachesTheHTML() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": Self.name, "phone": Self.phone, "incident_type": "rape",
                                         "date_of_birth": "1998-03-07"], assign: ["counsellor"])
            // Without the survivor's counselling consent the counsellor may read nothing of it.
            let counsellor = try await ReadDesk(v, "counsellor", role: "counsellor", agency: "ossc-vientiane")
            let refused = try await counsellor.get("/records/\(id)")
            #expect(refused.status == 403)
            for secret in ["Vilay", "Phommachanh", "7777", "1998", "Rape"] { #expect(!refused.readPageText.contains(secret), "\(secret)") }

            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "counsellor", ["record", "update", id, "--field", "counselling_notes=Session 4471: spoke of the river"])
            let granted = try await counsellor.get("/records/\(id)").readPageText
            #expect(granted.contains("<article id=\"record\" data-record=\"\(id)\">"))
            #expect(granted.contains("<dd data-field=\"survivor_name\">\(Self.name)</dd>"))
            #expect(granted.contains("<dd data-field=\"date_of_birth\">07/03/1998</dd>"))
            #expect(granted.contains("Session 4471"))
            #expect(granted.contains("<section id=\"consent\">") && granted.contains("state-granted"))
            #expect(granted.contains("<section id=\"record-referrals\">"))
            #expect(granted.contains("<p class=\"assignees\">Assigned to: counsellor</p>"))
            #expect(!granted.contains("id=\"action-erase\"") && granted.contains("id=\"action-note\""))

            // Intake reads the record but never counselling: the field is there, withheld, empty of its value.
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")
            let page = try await intake.get("/records/\(id)")
            #expect(page.status == 200)
            #expect(page.readPageText.contains("<dd data-field=\"counselling_notes\" class=\"withheld\">"))
            #expect(!page.readPageText.contains("4471") && !page.readPageText.contains("river"))
            #expect(page.readPageText.contains(Self.name))
            // The reads are in the log with the purpose the desk chose, as each person.
            let reads = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.action == "record.read" && $0.actor?.user == "counsellor" }
            #expect(reads.last?.purpose == ReadPurpose.caseManagement.audited)
        }

        @Test func aRefusalBreakGlassMayOverrideOffersTheFormAndItsReadIsFlagged() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": Self.name, "phone": Self.phone, "incident_type": "rape"])
            let counsellor = try await ReadDesk(v, "counsellor", role: "counsellor", agency: "ossc-vientiane")
            let refused = try await counsellor.get("/records/\(id)")
            #expect(refused.status == 403)
            #expect(refused.readPageText.contains("<form id=\"break-glass\" method=\"post\" action=\"/records/\(id)/break-glass\" autocomplete=\"off\">"))
            #expect(!refused.readPageText.contains("Vilay"))
            let thin = try await counsellor.post("/records/\(id)/break-glass", form: ["reason": "urgent"])
            #expect(thin.status == 400 && !thin.readPageText.contains("Vilay"))
            let reason = "Survivor called the hotline, her partner is at the door now"
            let glass = try await counsellor.post("/records/\(id)/break-glass", form: ["reason": reason])
            #expect(glass.status == 200)
            #expect(glass.readPageText.contains("break-glass-notice") && glass.readPageText.contains(Self.name))
            #expect(!glass.readPageText.contains("Rape"))   // incident: beyond break-glass's classes
            let flagged = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.action == "record.read" && $0.actor?.user == "counsellor" }
            #expect(flagged.last?.breakGlass == reason)
        }

        @Test func findsFromADiacriticFreeVietnameseSpelling() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Nguyễn Thị Hoà", "date_of_birth": "1998-03-07", "incident_type": "rape"])
            try v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            let far = try v.createRecord(["survivor_name": "Nguyễn Thị Hoà", "incident_type": "rape"], as: "intake-lp")
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane", language: .vi)
            let form = try await intake.get("/find")
            #expect(form.readPageText.contains("<form id=\"find\" method=\"post\" action=\"/find\""))
            let found = try await intake.post("/find", form: ["name": "NGUYEN thi hoa", "dob": "07/03/1998", "purpose": "returning"])
            #expect(found.status == 200)
            let html = found.readPageText
            #expect(html.contains("<tr data-record=\"\(id)\">") && html.contains("href=\"/records/\(id)\""))
            #expect(!html.contains(far))
            // The searched values are in the re-shown form's fields only, never in a link.
            #expect(!html.contains("?name=") && html.contains("value=\"NGUYEN thi hoa\""))
            #expect(!html.contains("href=\"/find?"))
            let finds = try v.auditLog(["--limit", "1000"]).filter { $0.action == "record.find" }
            #expect(finds.last?.purpose == FindPurpose.returning.audited)
            let nothing = try await intake.post("/find", form: [:])
            #expect(nothing.status == 400)
        }

        @Test func notesArePagedNewestFirst() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": Self.name, "incident_type": "rape"])
            for i in 1...23 { try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "note number \(i)."]) }
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")
            let first = try await intake.get("/records/\(id)").readPageText
            #expect(first.components(separatedBy: "<li class=\"note\"").count == 21)
            #expect(first.range(of: "note number 23.")!.lowerBound < first.range(of: "note number 4.")!.lowerBound)
            #expect(!first.contains("note number 3."))
            #expect(first.contains("notes_before=4\""))
            let earlier = try await intake.get("/records/\(id)", query: ["notes_before": "4"]).readPageText
            #expect(earlier.components(separatedBy: "<li class=\"note\"").count == 4)
            #expect(earlier.contains("note number 3.") && !earlier.contains("note number 4."))
            #expect(!earlier.contains("id=\"notes-earlier\""))
        }

        @Test func thePrintViewSpeaksTheReadersLanguageAndSaysWhoPrintedIt() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "ສົມພອນ ແກ້ວມະນີ", "incident_type": "rape"])
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane", language: .lo)
            let page = try await intake.get("/records/\(id)/print")
            #expect(page.status == 200)
            let html = page.readPageText
            #expect(html.contains("<article id=\"print-record\" lang=\"lo\" data-record=\"\(id)\">"))
            #expect(html.contains("ສົມພອນ ແກ້ວມະນີ") && html.contains("ການຂົ່ມຂືນ") && html.contains("intake"))
            #expect(html.contains("ພິມວັນທີ ") && html.contains("ເອກະສານລັບ"))   // the desk's own words, in Lao
            let reads = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.action == "record.read" }
            #expect(reads.last?.purpose == "printing the record for the paper case file (web desk)")
        }
    }
}
