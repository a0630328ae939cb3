import Foundation
import HavenTestSupport
import Testing

/// The desk's style sheet has a rule for every class the pages mark something with, except
/// the few that only name an element for the script or the tests; a new class needs one or
/// a place in that list, so no form mark or warning is left plain by oversight.
@Suite struct DeskStyleTests {
    /// Classes that carry no look of their own on purpose.
    static let unstyled: Set<String> = [
        "assignees", "consent-flags", "consent-history", "count", "elsewhere", "erased", "evidence", "name", "note",
        "notes", "print-view", "purpose", "record-id", "record-link", "referral-link", "assignee", "record-type", "record-types", "refusal-todo",
        "refusal-what", "reveal-name", "state", "state-",
    ]

    /// The pages' sources, and the classes their `class="…"` attributes name literally.
    static func pages() throws -> (text: String, classes: Set<String>) {
        let regex = try NSRegularExpression(pattern: #"class=\\?"([^"\\]*)"#)
        var all = "", found: Set<String> = []
        for dir in ["Sources/HavenDesk", "Sources/HavenWeb"] {
            let root = Repository.path(dir)
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let file as String in walker where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                all += text
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let range = Range(match.range(at: 1), in: text) else { continue }
                    found.formUnion(text[range].split(separator: " ").map(String.init))
                }
            }
        }
        return (all, found)
    }

    static func hasRule(_ css: String, _ name: String) throws -> Bool {
        let rule = try NSRegularExpression(pattern: "\\." + NSRegularExpression.escapedPattern(for: name) + "(?![A-Za-z0-9_-])")
        return rule.firstMatch(in: css, range: NSRange(css.startIndex..., in: css)) != nil
    }

    @Test func everyClassThePagesUseHasARuleOrIsKnownPlain() throws {
        let css = try String(contentsOfFile: Repository.path("Sources/HavenWeb/Static/desk.css"), encoding: .utf8)
        let pages = try Self.pages()
        // The marks of the record forms and pages, some added by a condition (" has-error").
        for required in ["required-mark", "has-error", "form-errors", "form-note", "warning", "danger", "check", "record-form",
                         "actions", "cancel", "group", "empty", "partial", "erase-summary", "duplicates", "field-error",
                         "withheld", "refusal", "hint"] {
            #expect(pages.text.contains(required), "\(required) is no longer used: take it out of this test")
            #expect(try Self.hasRule(css, required), "desk.css has no rule for .\(required)")
        }
        for name in pages.classes.subtracting(Self.unstyled).sorted() {
            #expect(try Self.hasRule(css, name), "desk.css has no rule for .\(name)")
        }
    }

    @Test func aCheckboxSitsBesideItsLabelAndFocusIsVisible() throws {
        let css = try String(contentsOfFile: Repository.path("Sources/HavenWeb/Static/desk.css"), encoding: .utf8)
        #expect(css.contains(".check { display: flex;"))
        #expect(css.contains(".check label { display: inline;"))
        #expect(css.contains(":focus-visible { outline: 3px solid"))
    }
}
