@testable import HavenDesk
import Testing

@Suite struct POFileTests {
    @Test func entriesEscapesAndContinuationLinesAreRead() throws {
        let po = try POFile(text: #"""
        # Needs review by a native speaker
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\n"

        #: Sources/HavenDesk/Layout/Layout.swift
        msgid "Sign in"
        msgstr "ເຂົ້າສູ່ລະບົບ"

        msgid ""
        "A long "
        "message with \"quotes\", a tab\tand a backslash \\"
        msgstr ""
        "Một thông điệp "
        "dài\n"

        #, fuzzy
        msgid "Unchecked"
        msgstr "guess"

        msgid "Untranslated"
        msgstr ""

        msgctxt "menu"
        msgid "Records"
        msgstr "context-only"
        """#)
        let table = po.table
        #expect(table["Sign in"] == "ເຂົ້າສູ່ລະບົບ")
        #expect(table["A long message with \"quotes\", a tab\tand a backslash \\"] == "Một thông điệp dài\n")
        #expect(table["Unchecked"] == nil)
        #expect(po.entries.first { $0.id == "Unchecked" }?.fuzzy == true)
        #expect(table["Untranslated"] == nil)
        #expect(table["Records"] == nil)
        #expect(table[""] == nil)
    }

    @Test func pluralsAreReadAsTheirFirstForm() throws {
        let po = try POFile(text: "msgid \"one file\"\nmsgid_plural \"{n} files\"\nmsgstr[0] \"{n} ໄຟລ໌\"\n")
        #expect(po.table["one file"] == "{n} ໄຟລ໌")
    }

    @Test func brokenFilesSayWhereAndWhy() {
        #expect(throws: POFile.Failure(line: 1, reason: "unknown escape \\q")) { try POFile(text: "msgid \"a\\q\"\nmsgstr \"b\"") }
        #expect(throws: POFile.Failure(line: 2, reason: "a string must be in double quotes")) { try POFile(text: "msgid \"a\"\nmsgstr b") }
        #expect(throws: POFile.Failure(line: 1, reason: "a string outside any entry")) { try POFile(text: "\"orphan\"") }
        #expect(throws: POFile.Failure(line: 1, reason: "msgstr without msgid")) { try POFile(text: "msgstr \"x\"") }
        #expect(throws: POFile.Failure(line: 1, reason: "a string ends in a lone backslash")) { try POFile(text: "msgid \"a\\\"") }
        #expect(throws: POFile.Failure(line: 1, reason: "unknown keyword msgfoo")) { try POFile(text: "msgfoo \"a\"") }
    }
}
