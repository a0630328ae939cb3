import HavenAPI
import HavenDesk
import Testing

/// The list and the search's answer: metadata only, names never in the list's HTML, every
/// value escaped, and the search's values only in the POSTed form.
@Suite struct ReadListAndFindViewTests {
    static func summary(_ id: String, type: String = "gbv_incident", agency: String = "ossc-vientiane", caseNumber: String? = nil) -> RecordSummary {
        RecordSummary(id: id, type: type, agency: agency, status: "active", version: 1, createdAt: "2026-12-01T09:00:00Z",
                      createdBy: "intake", updatedAt: "2026-12-07T09:30:00Z", assignees: ["counsellor"], caseNumber: caseNumber)
    }

    @Test func theListHidesNamesAndEscapesEveryValue() {
        let page = RecordListView.Page(scope: .mine, records: [Self.summary("rec_1", caseNumber: ReadFixtures.hostile),
                                                                Self.summary("rec_2", type: ReadFixtures.hostile)],
                                       next: "2026-12-07T09:30:00Z/rec_2&x=<", damaged: [], referralStates: ["rec_1": "accepted"],
                                       filteredHere: false)
        let html = RecordListView.render(page, labels: ReadFixtures.labels(.en)).raw
        #expect(html.contains("<table id=\"records\">"))
        #expect(!html.contains("<script>") && !html.contains("<img"))
        #expect(html.contains("<tr data-record=\"rec_1\""))
        #expect(html.contains("<a class=\"record-link\" href=\"/records/rec_1\">"))
        // Each row: a button to ask for the name and an empty place for it.
        #expect(html.components(separatedBy: "<button type=\"button\" class=\"reveal-name\" data-record=").count == 3)
        #expect(html.components(separatedBy: "<span class=\"name\" aria-live=\"polite\" hidden></span>").count == 3)
        #expect(html.contains("GBV incident") && html.contains("One-Stop Service Centre, Vientiane Capital") && html.contains("accepted"))
        #expect(html.contains("id=\"next-page\" href=\"/records?scope=mine&amp;after=2026-12-07T09%3A30%3A00Z%2Frec_2%26x%3D%3C\""))
        #expect(html.contains("id=\"scope-mine\"") && html.contains("id=\"scope-agency\""))
    }

    @Test func theListSpeaksLaoForTheSchemasWords() {
        let page = RecordListView.Page(scope: .agency, records: [Self.summary("rec_1")], next: nil, damaged: [], referralStates: [:],
                                       filteredHere: false)
        let html = RecordListView.render(page, labels: ReadFixtures.labels(.lo)).raw
        #expect(html.contains("ເຫດການຄວາມຮຸນແຮງທີ່ອີງໃສ່ບົດບາດຍິງຊາຍ"))
        #expect(html.contains("ສູນບໍລິການແບບຈຸດດຽວ ນະຄອນຫຼວງວຽງຈັນ"))
        #expect(!html.contains("next-page"))
    }

    @Test func theFindFormPostsItsValuesAndKeepsThemEscaped() {
        let w = ReadFixtures.labels(.en).words
        let html = FindView.form(.init(name: ReadFixtures.hostile, phone: "020", dob: "07/03/1998"), csrfField: "<input type=\"hidden\" name=\"_csrf\" value=\"t\">",
                                 error: nil, words: w).raw
        #expect(html.contains("<form id=\"find\" method=\"post\" action=\"/find\""))
        #expect(!html.contains("<script>") && html.contains("value=\"&lt;script&gt;"))
        for name in ["name", "phone", "dob", "purpose"] { #expect(html.contains("name=\"\(name)\"")) }
        #expect(html.contains("id=\"find-submit\""))
    }

    @Test func theAnswerListsMatchesAndCountsTheOthersAsHavendGivesThem() {
        let found = FindRecordsResponse(
            matches: [FoundRecord(id: "rec_9", type: "gbv_incident", agency: "ossc-vientiane", matched: ["survivor_name"],
                                  nameMatch: "without_diacritics", assignees: [])],
            elsewhere: [AgencyCount(agency: "ossc-luang-prabang", count: 2), AgencyCount(agency: ReadFixtures.hostile, count: 1)],
            mayExistElsewhere: true, auditSeq: 4)
        let html = FindView.results(found, labels: ReadFixtures.labels(.vi)).raw
        #expect(html.contains("<table id=\"found\">") && html.contains("<tr data-record=\"rec_9\">"))
        #expect(html.contains("href=\"/records/rec_9\"") && html.contains("Họ và tên nạn nhân"))
        #expect(html.contains("<section id=\"found-elsewhere\">") && html.contains("Trung tâm dịch vụ một cửa, tỉnh Luang Prabang: 2"))
        #expect(!html.contains("<script>"))
        let none = FindView.results(FindRecordsResponse(matches: [], elsewhere: [], auditSeq: 5), labels: ReadFixtures.labels(.en)).raw
        #expect(!none.contains("found-elsewhere") && !none.contains("table id=\"found\""))
    }

    @Test func datesReadAsDayMonthYear() {
        #expect(DateText.day("1998-03-07") == "07/03/1998")
        #expect(DateText.moment("2026-12-07T22:30:23Z") == "07/12/2026 22:30 UTC")
        #expect(DateText.day("not a date") == "not a date")
    }
}
