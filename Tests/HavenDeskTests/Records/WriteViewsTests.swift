import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy
import HavenTestSupport
import Testing

/// The other write pages' views: possible duplicates (metadata only), consent, note, erase,
/// edit and assignment, with the element ids the browser tests use.
@Suite struct WriteViewsTests {
    static let policy = WriteFormTests.policy
    static let words = WriteFormTests.english
    static let csrf: HTML = "<input type=\"hidden\" name=\"_csrf\" value=\"t\">"
    static let id = "aaaaaaaaaaaaaaaaaaaaaaaaaa"

    @Test func possibleDuplicatesAreMergedOncePerRecordAndCountedWithoutDoubling() {
        var findings = DuplicateFindings()
        findings.merge(FindRecordsResponse(matches: [FoundRecord(id: "r1", type: "gbv_incident", agency: "ossc-vientiane",
                                                                 matched: ["survivor_name", "date_of_birth"], nameMatch: "exact", assignees: [])],
                                           elsewhere: [AgencyCount(agency: "lwu-shelter-vientiane", count: 1)], auditSeq: 1))
        findings.merge(FindRecordsResponse(matches: [FoundRecord(id: "r1", type: "gbv_incident", agency: "ossc-vientiane",
                                                                 matched: ["phone"], nameMatch: nil, assignees: []),
                                                     FoundRecord(id: "r2", type: "trafficking_case", agency: "ossc-vientiane",
                                                                 matched: ["phone"], nameMatch: nil, assignees: ["counsellor"])],
                                           elsewhere: [AgencyCount(agency: "lwu-shelter-vientiane", count: 2)], mayExistElsewhere: true,
                                           auditSeq: 2))
        #expect(findings.records.map(\.id) == ["r1", "r2"])
        #expect(findings.records[0].matched == ["survivor_name", "date_of_birth", "phone"])
        #expect(findings.elsewhere == [AgencyCount(agency: "lwu-shelter-vientiane", count: 2)])
        #expect(findings.mayExistElsewhere)

        let html = PossibleDuplicatesView.render(findings, labels: SchemaLabels(policy: Self.policy, language: "lo"), words: Self.words).raw
        #expect(html.hasPrefix("<section id=\"possible-duplicates\""))
        #expect(html.contains("<tr data-record=\"r1\">") && html.contains("href=\"/records/r2\""))
        #expect(html.contains("ເບີໂທລະສັບ"), "matched fields by their Lao labels")
        #expect(html.contains("<button type=\"submit\" id=\"save-anyway\" name=\"confirm\" value=\"save-anyway\">"))
    }

    @Test func theNewRecordFormPutsSaveBeforeSaveAnyway() throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == "gbv_incident" }?.value)
        var state = NewRecordView.State(values: ["survivor_name": "<i>x</i>"], assign: "\"counsellor\"")
        state.duplicates = DuplicateFindings(records: [], elsewhere: [], mayExistElsewhere: true)
        let html = NewRecordView.form(type: t, fields: t.fields, state: state, canAssign: true, csrfField: Self.csrf,
                                      labels: SchemaLabels(policy: Self.policy, language: "en"), words: Self.words).raw
        #expect(html.contains("<form id=\"new-record\" class=\"record-form\" method=\"post\" action=\"/records/new\" autocomplete=\"off\">"))
        #expect(html.contains("name=\"_csrf\"") && html.contains("<input type=\"hidden\" name=\"type\" value=\"gbv_incident\">"))
        let save = try #require(html.range(of: "id=\"save\""))
        let anyway = try #require(html.range(of: "id=\"save-anyway\""))
        #expect(save.lowerBound < anyway.lowerBound, "Enter submits the first button: the check, not the save")
        #expect(html.contains("value=\"&quot;counsellor&quot;\"") && !html.contains("<i>x</i>"))
        let closing = try #require(html.range(of: "</form>"))
        #expect(anyway.lowerBound < closing.lowerBound, "save anyway sends the same form")
    }

    @Test func theConsentPageShowsTheStateAndBothForms() {
        let consent = ConsentResponse(id: Self.id, flags: [
            .init(flag: "counselling", state: "granted", expiresAt: "2031-01-01T00:00:00Z"),
            .init(flag: "police", state: "withdrawn", expiresAt: nil),
        ], history: [
            .init(index: 1, flag: "police", kind: "grant", recordedBy: "intake", recordedAt: "2026-12-07T10:00:00Z",
                  evidence: "sha256:" + String(repeating: "ab", count: 32), expiresAt: nil),
            .init(index: 2, flag: "police", kind: "withdraw", recordedBy: "intake", recordedAt: "2026-12-07T11:00:00Z",
                  evidence: "Signed by <Ana> at home", expiresAt: nil),
        ], historyTotal: 2)
        let html = ConsentFormView.render(recordID: Self.id, state: .init(consent: consent, mayRecord: true), csrfField: Self.csrf,
                                          words: Self.words).raw
        #expect(html.contains("<form id=\"consent-grant\" method=\"post\" action=\"/records/\(Self.id)/consent\" enctype=\"multipart/form-data\" autocomplete=\"off\">"))
        #expect(html.contains("<input type=\"file\" id=\"grant-evidence\" name=\"evidence\""))
        #expect(html.contains("<form id=\"consent-withdraw\" method=\"post\" action=\"/records/\(Self.id)/consent\" autocomplete=\"off\">"))
        #expect(html.contains("id=\"consent-grant-submit\"") && html.contains("id=\"consent-withdraw-submit\""))
        for flag in ConsentFlag.allCases {
            #expect(html.contains("id=\"grant-\(flag.rawValue)\" name=\"flag\" value=\"\(flag.rawValue)\""))
            #expect(html.contains("id=\"withdraw-\(flag.rawValue)\" name=\"flag\" value=\"\(flag.rawValue)\""))
        }
        #expect(html.contains("<tr data-flag=\"police\" data-state=\"withdrawn\">"))
        #expect(html.contains("2030-12-31"), "an expiry at midnight is shown as the last day it covers")
        #expect(!html.contains("Ana"), "free-text evidence from before digests is never shown")
        #expect(html.contains("abababababab…"))
    }

    @Test func aRoleThatMayNotRecordConsentGetsNoForm() {
        let html = ConsentFormView.render(recordID: Self.id, state: .init(consent: nil, mayRecord: false), csrfField: Self.csrf,
                                          words: Self.words).raw
        #expect(!html.contains("<form"))
    }

    @Test func theNoteFormOffersTheRolesClassesAndKeepsTheTextEscaped() {
        let html = NoteFormView.render(recordID: Self.id, classes: ["incident", "health", "counselling"], text: "</textarea><script>",
                                       chosen: "health", error: "Write the note.", notice: .empty, csrfField: Self.csrf, words: Self.words).raw
        #expect(html.contains("<form id=\"note\" method=\"post\" action=\"/records/\(Self.id)/note\" autocomplete=\"off\">"))
        #expect(html.contains("<option value=\"health\" selected>Health</option>"))
        #expect(html.contains(">&lt;/textarea&gt;&lt;script&gt;</textarea>") && !html.contains("<script>"))
        #expect(html.contains("class=\"field-error\"") && html.contains("id=\"note-submit\""))
        #expect(html.contains("<select id=\"f-class\" name=\"class\""))
    }

    @Test func erasureAsksForAReasonThenOnceMore() {
        let reasons = EraseFormView.reasons(Self.policy, words: Self.words)
        #expect(reasons.map(\.code) == ["court_order", "entered_in_error", "retention_ended", "survivor_request"])
        let first = EraseFormView.choose(recordID: Self.id, reasons: reasons, reason: nil, reference: "", error: nil, notice: .empty,
                                         csrfField: Self.csrf, words: Self.words).raw
        #expect(first.contains("<form id=\"erase\"") && first.contains("<select id=\"erase-reason\" name=\"reason\"") && !first.contains("name=\"confirm\""))
        let second = EraseFormView.confirm(recordID: Self.id, reason: reasons[0], reference: "CO-2026/17", csrfField: Self.csrf,
                                           words: Self.words).raw
        #expect(second.contains("<input type=\"hidden\" name=\"confirm\" value=\"erase\">") && second.contains("id=\"erase-submit\""))
        #expect(second.contains("value=\"CO-2026/17\""))
    }

    @Test func theEditFormCarriesTheVersionReadAndOnlyTheFieldsGiven() throws {
        let t = try #require(Self.policy.recordTypes.first { $0.key.rawValue == "gbv_incident" }?.value)
        let fields = t.fields.filter { $0.fieldClass == .contact }
        let html = EditRecordView.render(recordID: Self.id, type: "gbv_incident", version: 7, fields: fields, values: ["phone": "020 5551 2345"],
                                         errors: [:], hiddenCount: 2, notice: .empty, csrfField: Self.csrf,
                                         labels: SchemaLabels(policy: Self.policy, language: "en"), words: Self.words).raw
        #expect(html.contains("<form id=\"edit-record\"") && html.contains("name=\"version\" value=\"7\""))
        #expect(html.contains("name=\"field.phone\"") && html.contains("value=\"020 5551 2345\"") && !html.contains("field.survivor_name"))
        #expect(html.contains("id=\"save\""))
    }

    @Test func theAssignFormTakesAUserName() {
        let html = AssignFormView.render(recordID: Self.id, assignableRoles: ["counsellor", "intake"], user: "<x>", notice: .empty,
                                         csrfField: Self.csrf, words: Self.words).raw
        #expect(html.contains("<form id=\"assign\"") && html.contains("name=\"user\"") && html.contains("id=\"assign-submit\""))
        #expect(html.contains("action=\"/records/\(Self.id)/unassign\"") && html.contains("value=\"&lt;x&gt;\""))
    }
}
