import Foundation
import HavenAPI
import HavenDesk
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A name shown in the list is read with the row's record type, so a type's own name
    /// fields are shown too, and an unknown or wrong type falls back to the fields every
    /// type shares; each time one audited read of name fields and nothing else.
    @Suite struct WebRecordReadNameTests {
        /// The shipped policy with a second name field in trafficking cases only.
        static func policyWithAliases(_ dir: TemporaryDirectory) throws -> String {
            let policy = dir.file("policy")
            try FileManager.default.copyItem(atPath: Repository.path("policy"), toPath: policy)
            let file = policy + "/schema/trafficking_case.yaml"
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let anchor = "  date_of_birth: {class: identity"
            #expect(text.contains(anchor))
            let alias = "  other_names: {class: identity, type: text, max_length: 200, search: name, group: Survivor information, "
                + "label: {en: Other names used, lo: ຊື່ອື່ນ, vi: Tên khác}}\n"
            try text.replacingOccurrences(of: anchor, with: alias + anchor).write(toFile: file, atomically: true, encoding: .utf8)
            return policy
        }

        @Test func theRowsTypeChoosesTheNameFieldsAndAnyOtherFallsBackToTheShared() async throws {
            let dir = TemporaryDirectory("haven-web-names")
            defer { dir.remove() }
            let v = try TestVault(policy: try Self.policyWithAliases(dir))
            let trafficking = try v.createRecord(["survivor_name": "Khamla Inthavong", "other_names": "Noi", "exploitation_form": "forced_labour"],
                                                 type: "trafficking_case")
            let incident = try v.createRecord(["survivor_name": "Vilay Phommachanh", "incident_type": "rape"])
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")

            // The list's rows carry their type, and the script sends it.
            let list = try await intake.get("/records", query: ["scope": "agency"])
            #expect(list.readPageText.contains("<tr data-record=\"\(trafficking)\" data-type=\"trafficking_case\">"))
            let script = try String(contentsOfFile: Repository.path("Sources/HavenWeb/Static/desk.js"), encoding: .utf8)
            #expect(script.contains("'type=' + encodeURIComponent(row.getAttribute('data-type')"))

            func reveal(_ id: String, type: String?) async throws -> (text: String, released: [String]) {
                let shown = try await intake.post("/records/\(id)/name", form: type.map { ["type": $0] } ?? [:])
                #expect(shown.status == 200, "\(shown.readPageText)")
                let reads = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.action == "record.read" }
                let last = try #require(reads.last)
                #expect(last.actor?.user == "intake" && last.purpose == ReadPurpose.revealName)
                return (shown.readPageText, last.released.sorted())
            }
            let typed = try await reveal(trafficking, type: "trafficking_case")
            #expect(typed.text == "Khamla Inthavong Noi")
            #expect(typed.released == ["other_names", "survivor_name"])
            for type in [nil, "", "no_such_type", "gbv_incident"] {
                let shared = try await reveal(trafficking, type: type)
                #expect(shared.text == "Khamla Inthavong", "\(type ?? "none")")
                #expect(shared.released == ["survivor_name"], "\(type ?? "none")")
            }
            // A type that is not the record's asks for a field it lacks: the shared ones still show.
            let wrong = try await reveal(incident, type: "trafficking_case")
            #expect(wrong.text == "Vilay Phommachanh")
            #expect(wrong.released == ["survivor_name"])
        }
    }
}
