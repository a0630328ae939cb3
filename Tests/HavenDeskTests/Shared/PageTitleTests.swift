import Foundation
import HavenAPI
import HavenDesk
import Testing

/// The browser's history keeps every page's title on a shared PC: the pages about one
/// survivor are titled by generic words, never by her case number or her name.
@Suite struct PageTitleTests {
    static let caseNumber = "VTE-2026-0042"
    static let name = "Khamla Phommavong"

    static func title(_ page: String) -> String {
        guard let start = page.range(of: "<title>"), let end = page.range(of: "</title>") else { return "" }
        return String(page[start.upperBound..<end.lowerBound])
    }

    static func frame(_ title: String, _ words: Words) -> PageFrame {
        PageFrame(title: title, section: .records, words: words, person: ("counsellor", "counsellor", "ossc-vientiane"),
                  csrfToken: "t", idleWarningSeconds: 900, idleLockSeconds: 1200)
    }

    @Test func theRecordAndItsPrintViewAreTitledWithoutTheCaseNumberOrName() throws {
        let catalog = try Catalog.bundled()
        let r = ReadFixtures.record(fields: "{\"survivor_name\": \"\(Self.name)\"}", caseNumber: "\"\(Self.caseNumber)\"")
        for language in Language.allCases {
            let words = Words(language: language, catalog: catalog)
            let labels = ReadLabels(words: words, policy: ReadFixtures.policy)
            let model = RecordView.Model(record: r, purpose: .caseManagement, consent: nil, referrals: [], actions: [])
            let page = Layout.page(Self.frame(RecordView.title(words), words), body: RecordView.render(model, labels: labels)).raw
            let print = Layout.printPage(Self.frame(RecordPrintView.title(words), words),
                                         body: RecordPrintView.render(r, printedBy: "counsellor", printedAt: "2026-12-07T22:00:00Z", labels: labels)).raw
            for html in [page, print] {
                // The body does show the record; only the title must not.
                #expect(html.contains(Self.caseNumber) && html.contains(Self.name))
                let title = Self.title(html)
                #expect(!title.isEmpty)
                #expect(!title.contains(Self.caseNumber) && !title.contains("VTE") && !title.contains(Self.name), "\(language): \(title)")
            }
        }
    }

    @Test func theFormsAboutOneRecordAreTitledByGenericWords() throws {
        let catalog = try Catalog.bundled()
        for language in Language.allCases {
            let words = Words(language: language, catalog: catalog)
            let titles = [RecordView.title(words), RecordPrintView.title(words), EditRecordView.title(words),
                          ConsentFormView.title(words), ReferFormView.title(words), ReferralDetailView.title(words)]
            for title in titles {
                #expect(!title.isEmpty && !title.contains("{"), "\(language): \(title)")
                let page = Layout.page(Self.frame(title, words), body: .empty).raw
                #expect(Self.title(page).hasPrefix(HTML(text: title).raw))
            }
        }
    }
}
