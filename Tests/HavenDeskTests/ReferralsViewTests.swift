import Foundation
import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy
import HavenTestSupport
import Testing

/// The referral pages' views, pure: what each shows, in which words, and that nothing a
/// person typed (a reason, a note, a user name) can become markup.
@Suite struct ReferralsViewTests {
    static let policy: Policy = try! PolicyDirectory.load(Repository.path("policy"))
    static let hostile = "<script>alert('x')</script>\"><img src=x>"
    static let csrf: HTML = "<input type=\"hidden\" name=\"_csrf\" value=\"t\">"

    /// The referral pages' own .po file as a table (msgid → msgstr), single-line entries.
    static func words(_ language: Language) throws -> Words {
        guard language != .en else { return Words(language: .en, catalog: Catalog(tables: [:])) }
        let text = try String(contentsOfFile: Repository.path("Sources/HavenDesk/Translations/\(language.rawValue)/referrals.po"), encoding: .utf8)
        var table: [String: String] = [:]
        var id: String?
        for line in text.split(separator: "\n") {
            func quoted(_ prefix: String) -> String { String(line.dropFirst(prefix.count + 2).dropLast()).replacingOccurrences(of: "\\\"", with: "\"") }
            if line.hasPrefix("msgid \"") { id = quoted("msgid") } else if line.hasPrefix("msgstr \""), let key = id, !key.isEmpty {
                table[key] = quoted("msgstr")
            }
        }
        return Words(language: language, catalog: Catalog(tables: [language: table]))
    }

    static func labels(_ language: Language = .en) throws -> ReferralLabels {
        ReferralLabels(words: try words(language), policy: policy)
    }

    static func summary(status: String = "pending", record: String? = nil, createdBy: String? = nil, assignee: String? = nil) -> ReferralSummary {
        ReferralSummary(ref: "abcdefghijklmnop", service: "shelter", from: "ossc-vientiane", to: "lwu-shelter-vientiane", status: status,
                        createdAt: "2026-12-07T22:33:43Z", updatedAt: "2026-12-07T23:01:02Z", record: record, createdBy: createdBy,
                        assignee: assignee)
    }

    @Test func listsShowEachReferralAsARowWithItsLinkStateAndAgenciesAndNothingElse() throws {
        let labels = try Self.labels()
        let incoming = ReferralListResponse(referrals: [Self.summary()], unverified: 0)
        let outgoing = ReferralListResponse(referrals: [], unverified: 0)
        let html = ReferralListView.render(incoming: incoming, outgoing: outgoing, labels: labels).raw
        #expect(html.contains("<table id=\"incoming\">") && html.contains("<table id=\"outgoing\">"))
        #expect(html.contains("<tr data-referral=\"abcdefghijklmnop\"><td><a class=\"referral-link\" href=\"/referrals/abcdefghijklmnop\">"))
        #expect(html.contains("Shelter") && html.contains("One-Stop Service Centre, Vientiane Capital") && html.contains("Waiting for an answer"))
        #expect(html.contains("2026-12-07 22:33 UTC") && html.contains("No referrals."))
        #expect(!html.contains("warning"))
        let unverified = ReferralListView.render(incoming: ReferralListResponse(referrals: [], unverified: 2), outgoing: outgoing,
                                                 labels: labels).raw
        #expect(unverified.contains("2 referrals disagree with their records"))
    }

    @Test func agenciesServicesAndStatesAreInThePersonsLanguage() throws {
        let lo = try Self.labels(.lo)
        let vi = try Self.labels(.vi)
        let list = ReferralListResponse(referrals: [Self.summary(status: "accepted")], unverified: 0)
        let empty = ReferralListResponse(referrals: [], unverified: 0)
        let lao = ReferralListView.render(incoming: list, outgoing: empty, labels: lo).raw
        #expect(lao.contains("ສູນບໍລິການແບບຈຸດດຽວ ນະຄອນຫຼວງວຽງຈັນ") && lao.contains("ສູນພັກເຊົາຊົ່ວຄາວ") && lao.contains("ຮັບເອົາແລ້ວ"))
        #expect(lao.contains("ສົ່ງມາຫາອົງການຂອງທ່ານ") && !lao.contains("Sent to your agency"))
        let viet = ReferralListView.render(incoming: list, outgoing: empty, labels: vi).raw
        #expect(viet.contains("Trung tâm dịch vụ một cửa, Thủ đô Viêng Chăn") && viet.contains("Cơ sở tạm lánh") && viet.contains("Đã tiếp nhận"))
        #expect(!viet.contains("Accepted"))
        // A service or agency the desk has no words for is shown readable, never blank.
        #expect(vi.service("safe_house") == "safe house" && vi.agency("no-such-agency") == "no-such-agency")
        let form = ReferFormView.render(record: "a", from: "ossc-vientiane", labels: vi, csrfField: Self.csrf).raw
        #expect(form.contains("Trung tâm Tư vấn và Bảo vệ Phụ nữ và Trẻ em") && form.contains(">Trợ giúp pháp lý</option>"))
    }

    @Test func wordsPeopleTypedAreEscapedEverywhere() throws {
        let labels = try Self.labels()
        let hostile = Self.hostile
        let r = Self.summary(status: "accepted", record: "aaaaaaaaaaaaaaaaaaaaaaaaaa", createdBy: hostile, assignee: hostile)
        let detail = ReferralDetail(referral: r, steps: [
            .init(kind: "create", by: hostile, at: "2026-12-07T22:33:43Z", text: hostile, note: hostile, assignee: nil),
            .init(kind: "accept", by: "shelter-intake", at: "2026-12-07T23:01:02Z", text: nil, note: nil, assignee: hostile),
        ])
        let viewer = ReferralViewer(user: "intake", agency: "ossc-vientiane", reachesAgency: true)
        let kept = ReferralStepForms.Kept(verb: "close", reason: "</textarea><script>x</script>")
        let html = ReferralDetailView.render(detail, viewer: viewer, labels: labels, csrfField: Self.csrf, kept: kept).raw
        #expect(!html.contains("<script>") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x&gt;"))
        #expect(html.contains("&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"))
        let list = ReferralListView.render(incoming: ReferralListResponse(referrals: [r], unverified: 0),
                                           outgoing: ReferralListResponse(referrals: [], unverified: 0), labels: labels).raw
        #expect(!list.contains("<script>") && !list.contains("<img"))
        let values = ReferFormView.Values(agency: "\"><script>", service: "shelter", reason: hostile, note: hostile, errors: ["reason": hostile])
        let form = ReferFormView.render(record: "aaaaaaaaaaaaaaaaaaaaaaaaaa", from: "ossc-vientiane", labels: labels, csrfField: Self.csrf,
                                        values: values).raw
        #expect(!form.contains("<script>") && !form.contains("<img") && form.contains("class=\"field-error\""))
    }

    @Test func eachSideIsShownTheFormsOfTheStepsItMayTakeNow() throws {
        let desk = ReferralViewer(user: "shelter-intake", agency: "lwu-shelter-vientiane", reachesAgency: true)
        let counsellor = ReferralViewer(user: "shelter-counsellor", agency: "lwu-shelter-vientiane", reachesAgency: false)
        let sender = ReferralViewer(user: "intake", agency: "ossc-vientiane", reachesAgency: true)
        let pending = Self.summary(createdBy: "intake")
        #expect(ReferralStepForms.verbs(pending, viewer: desk) == ["accept", "decline"])
        #expect(ReferralStepForms.verbs(pending, viewer: sender) == ["revoke"])
        #expect(ReferralStepForms.verbs(pending, viewer: counsellor).isEmpty)
        let accepted = Self.summary(status: "accepted", createdBy: "intake", assignee: "shelter-counsellor")
        #expect(ReferralStepForms.verbs(accepted, viewer: desk) == ["assign", "unassign", "close"])
        #expect(ReferralStepForms.verbs(accepted, viewer: counsellor) == ["close"])
        #expect(ReferralStepForms.verbs(accepted, viewer: sender) == ["close", "revoke"])
        for status in ["declined", "revoked", "closed"] {
            #expect(ReferralStepForms.verbs(Self.summary(status: status, createdBy: "intake"), viewer: sender).isEmpty)
        }
        let html = try ReferralDetailView.render(ReferralDetail(referral: pending, steps: []), viewer: desk, labels: Self.labels(),
                                                 csrfField: Self.csrf).raw
        #expect(html.contains("<form id=\"accept\" class=\"referral-step\" method=\"post\" action=\"/referrals/abcdefghijklmnop/accept\" autocomplete=\"off\">"))
        #expect(html.contains("name=\"assign\"") && html.contains("id=\"accept-submit\"") && html.contains("id=\"decline-submit\""))
        #expect(html.contains("<textarea id=\"decline-reason\" name=\"reason\""))
        #expect(html.contains("shown once your agency accepts it") && !html.contains("form id=\"revoke\""))
        #expect(html.components(separatedBy: "name=\"_csrf\"").count == 3)
    }

    @Test func theReferFormListsAgenciesThatOfferAServiceButNotThePersonsOwn() throws {
        let html = try ReferFormView.render(record: "aaaaaaaaaaaaaaaaaaaaaaaaaa", from: "ossc-vientiane", labels: Self.labels(),
                                            csrfField: Self.csrf).raw
        #expect(html.contains("<form id=\"refer\" method=\"post\" action=\"/records/aaaaaaaaaaaaaaaaaaaaaaaaaa/refer\" autocomplete=\"off\">"))
        #expect(html.contains("<option value=\"lwu-shelter-vientiane\">") && html.contains("<option value=\"shelter\">"))
        #expect(!html.contains("value=\"ossc-vientiane\"") && !html.contains("value=\"people-court\"") && !html.contains("value=\"haven\""))
        #expect(html.contains("name=\"reason\"") && html.contains("name=\"note\"") && html.contains("id=\"refer-submit\""))
    }
}
