import Foundation
import HavenDesk
import HavenTestSupport
import Testing

/// Every word of the desk has its Lao and Vietnamese, and every .po file is one gettext's
/// own tools accept.
@Suite struct TranslationCoverageTests {
    static let translations = Repository.path("Sources/HavenDesk/Translations")

    /// The English literals of every `words("…")` and `w("…")` in the desk's sources.
    static func literals() throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: #"\b(?:words|w)\("((?:[^"\\]|\\.)*)""#)
        var found: Set<String> = []
        for dir in ["Sources/HavenDesk", "Sources/HavenWeb"] {
            let root = Repository.path(dir)
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let file as String in walker where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let range = Range(match.range(at: 1), in: text) else { continue }
                    // The literal as Swift reads it: \" and \\ are one character.
                    found.insert(String(text[range]).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\"))
                }
            }
        }
        return found
    }

    @Test func everyWordOfTheDeskIsTranslatedIntoLaoAndVietnamese() throws {
        let literals = try Self.literals()
        #expect(literals.count > 50)
        let catalog = try Catalog.load(directory: Self.translations)
        for language in [Language.lo, .vi] {
            let table = catalog.table(language)
            let missing = literals.filter { (table[$0] ?? "").isEmpty }.sorted()
            #expect(missing.isEmpty, "missing in \(language.rawValue): \(missing)")
        }
    }

    @Test func theBundledCatalogIsTheRepositorysOne() throws {
        let bundled = try Catalog.bundled()
        #expect(bundled.table(.lo)["Sign in"] == "ເຂົ້າສູ່ລະບົບ")
        #expect(Words(language: .vi, catalog: bundled)("Sign in") == "Đăng nhập")
        #expect(Words(language: .en, catalog: bundled)("Sign in") == "Sign in")
    }

    static let msgfmt = ["/usr/bin/msgfmt", "/usr/local/bin/msgfmt"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: msgfmt != nil, "msgfmt (gettext) is not installed"))
    func everyPOFilePassesMsgfmtCheckFormat() throws {
        for language in ["lo", "vi"] {
            let dir = Self.translations + "/" + language
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".po") {
                let r = try Command.run(Self.msgfmt!, ["--check-format", "-o", "/dev/null", dir + "/" + file])
                #expect(r.status == 0, "\(language)/\(file): \(r.stderr)")
            }
        }
    }

    @Test func everyPOFileIsMarkedForNativeReview() throws {
        for language in ["lo", "vi"] {
            let dir = Self.translations + "/" + language
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".po") {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                #expect(text.contains("# Needs review by a native speaker"), "\(language)/\(file)")
            }
        }
    }
}
