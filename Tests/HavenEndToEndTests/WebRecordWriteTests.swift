import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenDesk
import HavenPolicy
import HavenTestSupport
@testable import HavenWeb
import Testing

extension EndToEnd {
    /// The pages that change records, called as the desk calls them, against the real havend
    /// on a real socket and SQLite file: each change is read back with the real CLI.
    @Suite struct WebRecordWriteTests {
        static let hostileName = "ນາງ <script>alert('x')</script> \"ສີ\""

        @Test func aRecordCreatedInLaoReadsBackWithItsLaoValues() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let desk = try await WriteDesk.make(h, "intake", language: .lo)
            let form = try await WriteDesk.call(desk, .get, "/records/new", query: ["type": "gbv_incident"])
            #expect(form.status == 200)
            let page = WriteDesk.html(form)
            #expect(page.contains("<form id=\"new-record\"") && page.contains("ຊື່ ແລະ ນາມສະກຸນ ຂອງຜູ້ຖືກເຄາະຮ້າຍ"))
            #expect(page.contains("<legend>ຂໍ້ມູນຂອງຜູ້ຖືກເຄາະຮ້າຍ</legend>") && page.contains(">ເພດຍິງ</option>"))
            #expect(!page.contains("field.health_notes"), "intake may not fill health fields at creation")

            let created = try await WriteDesk.call(desk, .post, "/records/new", form: [
                "type": "gbv_incident", "field.survivor_name": "ນາງ ສີດາ ພົມມະຈັນ", "field.date_of_birth": "1995-08-15",
                "field.sex": "female", "field.incident_type": "rape", "field.province": "la-vientiane-capital",
                "field.incident_location": "ບ້ານ ໂພນສະອາດ, ເມືອງ ໄຊເສດຖາ", "assign": "counsellor", "confirm": "check",
            ])
            let id = try WriteDesk.redirectedRecord(created)
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review"])
            #expect(r.fields["survivor_name"] == "ນາງ ສີດາ ພົມມະຈັນ" && r.fields["incident_location"] == "ບ້ານ ໂພນສະອາດ, ເມືອງ ໄຊເສດຖາ")
            #expect(r.fields["date_of_birth"] == "1995-08-15" && r.fields["province"] == "la-vientiane-capital")
            #expect(try WriteDesk.assignees(v, id) == ["counsellor"], "assigned at creation, as create --assign")
        }

        @Test func possibleDuplicatesAreShownBeforeAnythingIsSaved() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let existing = try v.createRecord(["survivor_name": "Nguyễn Thị Lan", "date_of_birth": "1990-03-02", "incident_type": "rape"])
            let desk = try await WriteDesk.make(h, "intake", language: .vi)
            let form = ["type": "gbv_incident", "field.survivor_name": "Nguyen Thi Lan", "field.date_of_birth": "02/03/1990",
                        "field.incident_type": "physical_assault", "confirm": "check"]
            let first = try await WriteDesk.call(desk, .post, "/records/new", form: form)
            let page = WriteDesk.html(first)
            #expect(first.status == 200 && page.contains("<section id=\"possible-duplicates\""))
            #expect(page.contains("<tr data-record=\"\(existing)\">") && page.contains("id=\"save-anyway\""))
            #expect(!page.contains("Nguyễn Thị Lan"), "metadata only: the other record's name is never shown")
            #expect(page.contains("value=\"Nguyen Thi Lan\""), "the form keeps what was typed")
            #expect(try WriteDesk.records(v).count == 1, "nothing saved before the person decides")

            var anyway = form
            anyway["confirm"] = "save-anyway"
            let id = try WriteDesk.redirectedRecord(try await WriteDesk.call(desk, .post, "/records/new", form: anyway))
            let all = Set(try WriteDesk.records(v))
            #expect(id != existing && all == [existing, id])
        }

        @Test func aFailedCheckKeepsTheValuesEscapedAndSavesNothing() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let desk = try await WriteDesk.make(h, "intake")
            let answer = try await WriteDesk.call(desk, .post, "/records/new", form: [
                "type": "gbv_incident", "field.survivor_name": Self.hostileName, "field.date_of_birth": "31/02/1995",
                "field.perpetrator_count": "many", "confirm": "check",
            ])
            let page = WriteDesk.html(answer)
            #expect(answer.status == 400)
            #expect(page.contains("value=\"\(HTML.escape(Self.hostileName))\"") && !page.contains("<script>alert"))
            #expect(page.components(separatedBy: "class=\"field-error\"").count - 1 == 3, "date, number and the missing incident type")
            #expect(try WriteDesk.records(v).isEmpty)
        }

        @Test func aNoteIsAddedAndARoleThatMayNotAddOneIsRefusedInPlainWords() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Noted", "incident_type": "rape"])
            let intake = try await WriteDesk.make(h, "intake")
            let form = WriteDesk.html(try await WriteDesk.call(intake, .get, "/records/\(id)/note"))
            #expect(form.contains("<form id=\"note\"") && form.contains("<option value=\"counselling\""))
            let added = try await WriteDesk.call(intake, .post, "/records/\(id)/note", form: ["class": "incident", "text": "ມາຮັບການປຶກສາ <b>"])
            #expect(try WriteDesk.redirectedRecord(added) == id)
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review"])
            #expect(r.notes.map(\.text) == ["ມາຮັບການປຶກສາ <b>"])

            // Police may not add notes: the page says so plainly, with a fitting status, and nothing changes.
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let granted = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review"])
            let police = try await WriteDesk.make(h, "police")
            let refused = try await WriteDesk.call(police, .post, "/records/\(id)/note", form: ["class": "incident", "text": "x"])
            #expect(refused.status == 400 || refused.status == 403)
            #expect(WriteDesk.html(refused).contains("class=\"refusal\""))
            let later = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review"])
            #expect(later.notes.count == 1 && later.version == granted.version && r.version < granted.version)
        }

        @Test func consentIsGrantedWithTheEvidenceDigestAndAWithdrawalStaysWithdrawn() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Consenting", "incident_type": "rape"])
            let intake = try await WriteDesk.make(h, "intake")
            let digest = "sha256:" + String(repeating: "0123456789abcdef", count: 4)
            let granted = try await WriteDesk.call(intake, .post, "/records/\(id)/consent",
                                                   form: ["action": "grant", "expires": "2099-12-31"],
                                                   lists: ["flag": ["police", "counselling"]],
                                                   files: ["evidence": UploadedFile(digest: digest, byteCount: 2048)])
            #expect(try WriteDesk.redirectedRecord(granted) == id)
            var c = try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id])
            #expect(c.flags.first { $0.flag == "police" }?.state == "granted")
            #expect(c.history.map(\.evidence) == [digest, digest] && c.history.map(\.flag).sorted() == ["counselling", "police"])
            #expect(try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"]).status == 0)

            let withdrawn = try await WriteDesk.call(intake, .post, "/records/\(id)/consent", form: ["action": "withdraw", "flag": "police"])
            #expect(try WriteDesk.redirectedRecord(withdrawn) == id)
            // Granting another flag later leaves the withdrawal as it is.
            // No file chosen: the front drops the empty part.
            _ = try await WriteDesk.call(intake, .post, "/records/\(id)/consent", form: ["action": "grant", "flag": "health"])
            c = try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id])
            #expect(c.flags.first { $0.flag == "police" }?.state == "withdrawn" && c.flags.first { $0.flag == "health" }?.state == "granted")
            #expect(c.history.last?.evidence == nil, "no file chosen is no evidence")
            #expect(try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"]).status != 0)
            let page = WriteDesk.html(try await WriteDesk.call(intake, .get, "/records/\(id)/consent"))
            #expect(page.contains("<tr data-flag=\"police\" data-state=\"withdrawn\">") && page.contains("<form id=\"consent-grant\""))
        }

        @Test func assignAndUnassign() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Assigned", "incident_type": "rape"])
            let intake = try await WriteDesk.make(h, "intake")
            #expect(try WriteDesk.redirectedRecord(try await WriteDesk.call(intake, .post, "/records/\(id)/assign", form: ["user": "counsellor"])) == id)
            #expect(try WriteDesk.assignees(v, id) == ["counsellor"])
            let unknown = try await WriteDesk.call(intake, .post, "/records/\(id)/assign", form: ["user": "nobody-here"])
            #expect(unknown.status >= 400 && WriteDesk.html(unknown).contains("class=\"refusal\""))
            #expect(try WriteDesk.redirectedRecord(try await WriteDesk.call(intake, .post, "/records/\(id)/unassign", form: ["user": "counsellor"])) == id)
            #expect(try WriteDesk.assignees(v, id) == [])
        }

        @Test func anEditSendsOnlyTheChangedFieldAndAStaleFormIsAConflict() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Edited", "phone": "020 5551 2345", "incident_type": "rape"])
            let intake = try await WriteDesk.make(h, "intake")
            let form = WriteDesk.html(try await WriteDesk.call(intake, .get, "/records/\(id)/edit"))
            #expect(form.contains("<form id=\"edit-record\"") && form.contains("value=\"020 5551 2345\"") && form.contains("name=\"version\" value=\"1\""))
            let before = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            let saved = try await WriteDesk.call(intake, .post, "/records/\(id)/edit", form: [
                "version": "\(before.version)", "type": "gbv_incident", "field.survivor_name": "Edited", "field.phone": "020 5551 9999",
                "field.incident_type": "rape",
            ])
            #expect(try WriteDesk.redirectedRecord(saved) == id)
            let entry = try #require(try v.auditLog(["--record", id]).last { $0.action == "record.update" })
            #expect(entry.written == ["phone"], "only the changed field is sent")

            let stale = try await WriteDesk.call(intake, .post, "/records/\(id)/edit", form: [
                "version": "\(before.version)", "field.phone": "020 0000 0000", "field.survivor_name": "Edited", "field.incident_type": "rape",
            ])
            #expect(stale.status == 409 && WriteDesk.html(stale).contains("value=\"020 0000 0000\""))
            let after = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            #expect(after.fields["phone"] == "020 5551 9999")
        }

        @Test func intakeErasesAfterConfirmingAndAnotherRoleCannot() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Erased", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "health"])
            let health = try await WriteDesk.make(h, "health")
            let refused = try await WriteDesk.call(health, .post, "/records/\(id)/erase", form: ["reason": "survivor_request", "confirm": "erase"])
            #expect(refused.status == 403 && !WriteDesk.html(refused).contains("<form id=\"erase\""))

            let intake = try await WriteDesk.make(h, "intake")
            let missing = try await WriteDesk.call(intake, .post, "/records/\(id)/erase", form: ["reason": "court_order"])
            #expect(missing.status == 400 && WriteDesk.html(missing).contains("class=\"field-error\""))
            let ask = try await WriteDesk.call(intake, .post, "/records/\(id)/erase", form: ["reason": "survivor_request"])
            #expect(ask.status == 200 && WriteDesk.html(ask).contains("name=\"confirm\" value=\"erase\""))
            #expect(try v.haven(as: "intake", ["record", "get", id, "--purpose", "check"]).status == 0, "nothing erased before the second answer")
            let done = try await WriteDesk.call(intake, .post, "/records/\(id)/erase", form: ["reason": "survivor_request", "confirm": "erase"])
            #expect(try WriteDesk.redirectedRecord(done) == id)
            #expect(try v.haven(as: "intake", ["record", "get", id, "--purpose", "check"]).status == 4)
        }

        @Test func aCounsellorMayNotCreateAndPoliceMayNotEdit() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            let v = h.vault
            let id = try v.createRecord(["survivor_name": "Unchanged", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let before = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            let counsellor = try await WriteDesk.make(h, "counsellor")
            let create = try await WriteDesk.call(counsellor, .post, "/records/new", form: ["type": "gbv_incident", "field.incident_type": "rape"])
            #expect(create.status == 404 && !WriteDesk.html(create).contains("<form id=\"new-record\""))
            let police = try await WriteDesk.make(h, "police")
            let edit = try await WriteDesk.call(police, .post, "/records/\(id)/edit", form: ["version": "1", "field.survivor_name": "Changed"])
            #expect(edit.status == 403 && WriteDesk.html(edit).contains("class=\"refusal\""))
            #expect(try WriteDesk.records(v).count == 1)
            // A path whose id is not a record id is answered without asking havend, and never echoed.
            let odd = try await WriteDesk.call(police, .get, "/records/%22%3E%3Cscript%3E/note")
            #expect(odd.status == 404 && !WriteDesk.html(odd).contains("%3Cscript") && !WriteDesk.html(odd).contains("&lt;script"))
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            #expect(r.version == before.version && r.fields["survivor_name"] == "Unchanged")
        }
    }
}

/// A demo user's desk from the harness (`desk(for:)`: a havend session of their own, no
/// browser), and the write pages' routes called as the front calls them.
private enum WriteDesk {
    static func make(_ h: WebDeskHarness, _ user: String, language: Language = .en) async throws -> Desk {
        let person = try #require(TestVault.standardUsers.first { $0.name == user })
        return try await h.desk(for: user, role: person.role, agency: person.agency, language: language)
    }

    static func call(_ desk: Desk, _ method: DeskRequest.Method, _ path: String, query: [String: String] = [:],
                     form: [String: String] = [:], lists: [String: [String]] = [:], files: [String: UploadedFile] = [:]) async throws -> DeskResponse {
        var routes = DeskRoutes()
        RecordWritePages.register(&routes)
        let route = try #require(routes.match(method, path), "\(method) \(path)")
        let request = DeskRequest(method: method, path: path, parameters: route.parameters, query: query, form: form, formLists: lists,
                                  files: files)
        return await route.handler(request, desk)
    }

    static func html(_ r: DeskResponse) -> String {
        if case .page(let html) = r.body { return html.raw }
        return ""
    }

    /// The record id of a `303 /records/ID` answer.
    static func redirectedRecord(_ r: DeskResponse) throws -> String {
        guard r.status == 303, case .redirect(let path) = r.body, path.hasPrefix("/records/") else {
            throw TestFailure("expected a redirect to a record, got \(r.status): \(html(r).suffix(2000))")
        }
        return String(path.dropFirst("/records/".count))
    }

    static func records(_ v: TestVault) throws -> [String] {
        try v.json(RecordListResponse.self, as: "intake", ["record", "list"]).records.map(\.id)
    }

    static func assignees(_ v: TestVault, _ id: String) throws -> [String] {
        try v.json(RecordListResponse.self, as: "intake", ["record", "list"]).records.first { $0.id == id }?.assignees ?? []
    }
}
