import Foundation
import HavenDesk
import HavenTestSupport
import Testing

/// One English word, one translation: a msgid that several owners' .po files translate is
/// translated the same in each. The catalog merges the files in name order, so a second
/// spelling would lose silently, and the same word would read differently from page to page.
@Suite struct TranslationAgreementTests {
    @Test func aMsgidInSeveralFilesOfALanguageHasOneMsgstr() throws {
        for language in ["lo", "vi"] {
            let dir = TranslationCoverageTests.translations + "/" + language
            var seen: [String: [(file: String, text: String)]] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where file.hasSuffix(".po") {
                let po = try POFile(text: String(contentsOfFile: dir + "/" + file, encoding: .utf8))
                for (id, text) in po.table where !id.isEmpty && !text.isEmpty {
                    seen[id, default: []].append((file, text))
                }
            }
            #expect(seen.count > 50)
            for (id, translations) in seen.sorted(by: { $0.key < $1.key }) where Set(translations.map(\.text)).count > 1 {
                Issue.record("\(language): \"\(id)\" is \(translations.map { "\"\($0.text)\" in \($0.file)" }.joined(separator: ", "))")
            }
        }
    }
}
