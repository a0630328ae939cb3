import HavenCore
import Testing

/// How the command-line programs report an error: one line, or the API's error object.
@Suite struct ErrorReportTests {
    @Test func aLineCarriesTheCodeMessageAndHint() {
        let e = HavenError(.notFound, "no record x", hint: "check the id")
        #expect(ErrorReport(e).line(program: "haven") == "haven: not_found: no record x (hint: check the id)")
        #expect(ErrorReport(code: "usage", message: "bad").line(program: "havend") == "havend: usage: bad")
    }

    @Test func jsonIsTheAPIsErrorObjectOnOneLine() {
        let json = String(decoding: ErrorReport(code: "invalid_value", message: "a \"quoted\"\nvalue").json(), as: UTF8.self)
        #expect(json == #"{"error":{"code":"invalid_value","message":"a \"quoted\"\u000avalue"}}"# + "\n")
        let hinted = String(decoding: ErrorReport(HavenError(.denied, "no", hint: "ask")).json(), as: UTF8.self)
        #expect(hinted == #"{"error":{"code":"denied","message":"no","hint":"ask"}}"# + "\n")
    }

    @Test func jsonIsWantedOnlyBeforeADoubleDash() {
        #expect(ErrorReport.wantsJSON(["--json", "status"]))
        #expect(ErrorReport.wantsJSON(["record", "list", "--json"]))
        #expect(!ErrorReport.wantsJSON(["note", "add", "x", "--", "--json"]))
        #expect(!ErrorReport.wantsJSON(["record", "list", "--jsonx"]))
    }

    @Test func aParserMistakeKeepsOnlyTheMistake() {
        let text = "Error: Missing expected argument '<id>'\nHelp:  <id>  Record id.\nUsage: haven record get <id>"
        #expect(ErrorReport.usage(parserMessage: text) == ErrorReport(code: "usage", message: "Missing expected argument '<id>'"))
    }
}
