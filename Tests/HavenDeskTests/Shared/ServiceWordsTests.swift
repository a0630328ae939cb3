import Foundation
import HavenAPI
import HavenDesk
import HavenPolicy
import Testing

/// A referral's service reads the same on the record page as on the referral pages, and by
/// words in every language the desk speaks, never by its code.
@Suite struct ServiceWordsTests {
    @Test func theRecordPageAndTheReferralPagesNameEachServiceAlike() throws {
        let catalog = try Catalog.bundled()
        let policy = ReadFixtures.policy
        for language in Language.allCases {
            let words = Words(language: language, catalog: catalog)
            let read = ReadLabels(words: words, policy: policy)
            let referrals = ReferralLabels(words: words, policy: policy)
            for service in policy.referrals.keys.sorted() {
                let word = read.service(service)
                #expect(word == referrals.service(service), "\(language): \(service)")
                #expect(ClassWords.service(service, words) == word, "\(language): \(service) has no desk word")
                if language != .en {
                    #expect(word != ClassWords.service(service, Words(language: .en, catalog: catalog)), "\(language): \(service) untranslated")
                }
                let summary = ReferralSummary(ref: "abcdefghijklmnop", service: service, from: "ossc-vientiane", to: "lwu-shelter-vientiane",
                                              status: "pending", createdAt: "2026-12-07T22:33:43Z", updatedAt: "2026-12-07T23:01:02Z",
                                              record: nil, createdBy: nil, assignee: nil)
                let model = RecordView.Model(record: ReadFixtures.record(fields: "{}"), purpose: .caseManagement, consent: nil,
                                             referrals: [summary], actions: [])
                let html = RecordView.render(model, labels: read).raw
                #expect(html.contains(">\(HTML(text: word).raw)</a>"), "\(language): \(service) not by its word on the record page")
            }
        }
    }
}
