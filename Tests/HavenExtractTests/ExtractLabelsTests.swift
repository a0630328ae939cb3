import HavenCore
@testable import HavenExtract
import Testing

/// An extract rendered in its reader's language: labels from a policy name the fields and
/// choice values (each code kept beside its label), the facts stay in line by display
/// width, and without labels the rendering is the English one it always was.
@Suite struct ExtractLabelsTests {
    let extract: VerifiedExtract

    init() throws {
        extract = try ExtractVerifier.unverified(ExtractTests().build())
    }

    static let lao = ExtractLabels(language: "lo", fields: ["survivor_name": "ຊື່ ແລະ ນາມສະກຸນ ຂອງຜູ້ຖືກເຄາະຮ້າຍ",
                                                           "incident_type": "ປະເພດເຫດການ", "health_notes": "ບັນທຶກທາງການແພດ"],
                                   values: ["incident_type": ["rape": "ການຂົ່ມຂືນ"]])

    @Test func withoutLabelsTheRenderingIsTheEnglishOne() {
        let lines = ExtractRenderer.text(extract).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "CERTIFIED EXTRACT OF A CASE RECORD")
        #expect(lines.contains("Record:        aaaaaaaaaaaaaaaaaaaaaaaaaa (gbv_incident, version 3, agency ossc)"))
        #expect(lines.contains("Policy:        pv"))
        #expect(lines.contains("  Type [incident_type]:") && lines.contains("    rape"))
        #expect(lines.contains("  health_notes: class health not permitted for role court"))
    }

    @Test func laoLabelsNameFieldsAndValuesWithTheirCodes() {
        let text = ExtractRenderer.text(extract, labels: Self.lao)
        #expect(text.hasPrefix("ສຳເນົາຢັ້ງຢືນຂອງບັນທຶກກໍລະນີ\n"))
        #expect(text.contains("  ປະເພດເຫດການ [incident_type]:\n    ການຂົ່ມຂືນ [rape]\n"))
        #expect(text.contains("  ບັນທຶກທາງການແພດ [health_notes]: class health not permitted for role court"))
        #expect(!text.contains("Type ["))
        // The facts' values start at one display column, whatever marks their names carry.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let facts = lines.drop { !$0.isEmpty }.dropFirst().prefix { !$0.isEmpty }
        #expect(facts.count == 8, "\(facts)")
        let starts = Set(facts.map { line -> Int in
            let colon = line.firstIndex(of: ":")!
            let name = line[...colon]
            return DisplayWidth.of(String(name)) + line[line.index(after: colon)...].prefix { $0 == " " }.count
        })
        #expect(starts.count == 1, "\(facts)")
    }

    @Test func theHTMLPageIsInTheReadersLanguage() {
        let html = ExtractRenderer.html(extract, labels: Self.lao)
        #expect(html.contains("<html lang=\"lo\">"))
        #expect(html.contains("<th lang=\"lo\">ປະເພດເຫດການ<br><small>incident_type</small></th>"))
        #expect(html.contains("<td class=\"value\" lang=\"lo\">ການຂົ່ມຂືນ [rape]</td>"))
        #expect(!html.contains("Released fields"))
        let vi = ExtractRenderer.html(extract, labels: ExtractLabels(language: "vi"))
        #expect(vi.contains("<h2>Các trường được cung cấp</h2>") && vi.contains("<th>Type<br>"))
    }
}
