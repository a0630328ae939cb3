import Foundation
import HavenAPI
import HavenDesk
import HavenPolicy
import HavenTestSupport
import Testing

/// A desk PC is shared: Chrome must keep nothing typed into the desk's forms (a survivor's
/// name or phone, a reason, a passphrase) to offer it to the next person. Every form that
/// carries such words, and each of its typed inputs, says `autocomplete="off"`; the
/// invitation's two new passphrases say `new-password`, which Chrome does honour.
@Suite struct AutocompleteOffTests {
    static let words = Words(language: .en, catalog: Catalog(tables: [:]))
    static let csrf: HTML = "<input type=\"hidden\" name=\"_csrf\" value=\"t\">"
    static let id = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let frame = PageFrame(title: "x", section: .none, words: words, person: nil, csrfToken: "t",
                                 idleWarningSeconds: 900, idleLockSeconds: 1200)

    /// The `<form>`, `<textarea>` and typed `<input>` tags of a page (hidden, checkbox, file and
    /// button inputs keep nothing typed).
    static func typedTags(_ html: String) -> [String] {
        let tag = try! Regex("<(form|textarea|input)\\b[^>]*>")
        return html.matches(of: tag).map { String(html[$0.range]) }.filter { t in
            !["hidden", "checkbox", "radio", "file", "submit"].contains { t.contains("type=\"\($0)\"") }
        }
    }

    static func expectOff(_ name: String, _ html: String, value: String = "off", atLeast: Int = 2) {
        let tags = typedTags(html)
        #expect(tags.count >= atLeast, "\(name): \(tags)")
        #expect(tags.contains { $0.hasPrefix("<form") }, "\(name) has no form")
        for t in tags {
            let expected = t.hasPrefix("<form") ? "off" : value
            #expect(t.contains("autocomplete=\"\(expected)\""), "\(name): \(t)")
        }
    }

    @Test func everyRecordFormKeepsNothingTyped() throws {
        let policy: Policy = try PolicyDirectory.load(Repository.path("policy"))
        let labels = SchemaLabels(policy: policy, language: "en")
        let t = try #require(policy.recordTypes.first { $0.key.rawValue == "gbv_incident" }?.value)
        let new = NewRecordView.form(type: t, fields: t.fields, state: NewRecordView.State(values: ["survivor_name": "Khamla"], assign: nil),
                                     canAssign: true, csrfField: Self.csrf, labels: labels, words: Self.words).raw
        Self.expectOff("new record", new, atLeast: 5)
        #expect(new.contains("name=\"field.survivor_name\" autocomplete=\"off\"") && new.contains("spellcheck=\"false\""))
        let edit = EditRecordView.render(recordID: Self.id, type: "gbv_incident", version: 1, fields: t.fields, values: [:], errors: [:],
                                         hiddenCount: 0, notice: .empty, csrfField: Self.csrf, labels: labels, words: Self.words).raw
        Self.expectOff("edit", edit, atLeast: 5)
        Self.expectOff("note", NoteFormView.render(recordID: Self.id, classes: ["counselling"], text: "", chosen: nil, error: nil,
                                                   notice: .empty, csrfField: Self.csrf, words: Self.words).raw)
        Self.expectOff("consent", ConsentFormView.render(recordID: Self.id, state: .init(consent: nil, mayRecord: true), csrfField: Self.csrf,
                                                         words: Self.words).raw)
        Self.expectOff("assign", AssignFormView.render(recordID: Self.id, assignableRoles: ["counsellor"], user: "", notice: .empty,
                                                       csrfField: Self.csrf, words: Self.words).raw)
        let reasons = EraseFormView.reasons(policy, words: Self.words)
        Self.expectOff("erase", EraseFormView.choose(recordID: Self.id, reasons: reasons, reason: nil, reference: "", error: nil, notice: .empty,
                                                     csrfField: Self.csrf, words: Self.words).raw)
        Self.expectOff("erase again", EraseFormView.confirm(recordID: Self.id, reason: reasons[0], reference: "CO-1", csrfField: Self.csrf,
                                                            words: Self.words).raw, atLeast: 1)
        Self.expectOff("find", FindView.form(.init(name: "Khamla", phone: "020"), csrfField: Self.csrf, error: nil, words: Self.words).raw,
                       atLeast: 4)
        Self.expectOff("break-glass", RecordView.breakGlassForm(id: Self.id, purpose: .caseManagement, csrfField: Self.csrf, error: nil,
                                                                words: Self.words).raw)
    }

    @Test func everyReferralFormKeepsNothingTyped() throws {
        let policy: Policy = try PolicyDirectory.load(Repository.path("policy"))
        let labels = ReferralLabels(words: Self.words, policy: policy)
        Self.expectOff("refer", ReferFormView.render(record: Self.id, from: "ossc-vientiane", labels: labels, csrfField: Self.csrf).raw,
                       atLeast: 3)
        func summary(_ status: String) -> ReferralSummary {
            ReferralSummary(ref: "abcdefghijklmnop", service: "shelter", from: "ossc-vientiane", to: "lwu-shelter-vientiane", status: status,
                            createdAt: "2026-12-07T22:33:43Z", updatedAt: "2026-12-07T23:01:02Z", record: nil, createdBy: "intake",
                            assignee: "shelter-counsellor")
        }
        let receiver = ReferralViewer(user: "shelter-intake", agency: "lwu-shelter-vientiane", reachesAgency: true)
        let sender = ReferralViewer(user: "intake", agency: "ossc-vientiane", reachesAgency: true)
        for (status, viewer, verbs) in [("pending", receiver, ["accept", "decline"]), ("accepted", receiver, ["close", "unassign"]),
                                        ("pending", sender, ["revoke"])] {
            let html = ReferralDetailView.render(ReferralDetail(referral: summary(status), steps: []), viewer: viewer, labels: labels,
                                                 csrfField: Self.csrf).raw
            for verb in verbs { #expect(html.contains("<form id=\"\(verb)\""), "\(status): \(verb)") }
            Self.expectOff("referral \(status)", html)
        }
    }

    @Test func passphrasesAreNotOfferedToTheBrowsersPasswordManager() {
        let signIn = FrontViews.signIn(Self.frame, name: nil, message: nil).raw
        Self.expectOff("sign-in", signIn, atLeast: 3)
        #expect(!signIn.contains("current-password"))
        let locked = FrontViews.locked(Self.frame, name: "ana", message: nil).raw
        #expect(!locked.contains("current-password"))
        let unlock = String(locked[locked.range(of: "<form id=\"unlock\"")!.lowerBound...])
        Self.expectOff("unlock", String(unlock[..<unlock.range(of: "</form>")!.upperBound]))
        let welcome = FrontViews.welcome(Self.frame, token: "tok", name: "ana", message: nil).raw
        Self.expectOff("invitation", welcome, value: "new-password", atLeast: 3)
    }
}
