import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenDesk
import HavenPolicy
import HavenTestSupport
@testable import HavenWeb
import Testing

extension EndToEnd {
    /// The referral pages' handlers against the real havend on its real socket, each person
    /// on their own session: refer from a One-Stop centre to a shelter, accept there with an
    /// assignment, decline, revoke and close with reasons; someone with no part in a referral
    /// is told it does not exist, and every refusal is havend's, in the page, with its status.
    @Suite struct WebReferralTests {
        static let shelter = "lwu-shelter-vientiane"
        static let name = "Keo Phommachanh"

        /// The OSSC's record of a survivor who consented to a shelter referral, and the
        /// shelter's intake officer (its desk) and counsellor.
        static let template = VaultTemplate { v in
            try v.enrol("shelter-intake", role: "intake", agency: shelter)
            try v.enrol("shelter-counsellor", role: "counsellor", agency: shelter)
            let id = try v.createRecord(["survivor_name": name, "phone": "020 5551 7788", "incident_type": "physical_assault"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            return id
        }

        @Test func aOneStopCentreRefersToAShelterWhichAcceptsWithAnAssignmentAndClosesIt() async throws {
            let (v, id) = try Self.template.copy()
            let ossc = try await Desks.open(v, "intake", role: "intake", agency: "ossc-vientiane")
            let shelterDesk = try await Desks.open(v, "shelter-intake", role: "intake", agency: Self.shelter)
            let counsellor = try await Desks.open(v, "shelter-counsellor", role: "counsellor", agency: Self.shelter)

            let form = await Desks.call(ossc, .get, "/records/\(id)/refer")
            #expect(form.status == 200 && form.html.contains("<form id=\"refer\"") && form.html.contains("value=\"\(Self.shelter)\""))
            let made = await Desks.call(ossc, .post, "/records/\(id)/refer",
                                        ["agency": Self.shelter, "service": "shelter", "reason": "a safe room tonight",
                                         "note": "arrives with two children"])
            let ref = try #require(made.redirect?.replacingOccurrences(of: "/referrals/", with: ""), "\(made.html)")
            #expect(ref.count == 16)

            // Waiting: the shelter's list has the row, with nothing of the survivor; its page
            // offers accept and decline.
            let list = await Desks.call(shelterDesk, .get, "/referrals")
            #expect(list.status == 200 && list.html.contains("<tr data-referral=\"\(ref)\">"), "\(list.html)")
            #expect(list.html.contains("<table id=\"incoming\">") && list.html.contains("Waiting for an answer"))
            #expect(!list.html.contains("Keo") && !list.html.contains(id) && !list.html.contains("safe room"))
            let waiting = await Desks.call(shelterDesk, .get, "/referrals/\(ref)")
            #expect(waiting.html.contains("form id=\"accept\"") && waiting.html.contains("form id=\"decline\""))
            #expect(!waiting.html.contains(id) && !waiting.html.contains("two children") && !waiting.html.contains("safe room"))
            // The sender's outgoing list and page.
            let sent = await Desks.call(ossc, .get, "/referrals")
            #expect(sent.html.contains("<table id=\"outgoing\">") && sent.html.contains("data-referral=\"\(ref)\""))
            #expect(!sent.html.contains("Keo"))
            let theirs = await Desks.call(ossc, .get, "/referrals/\(ref)")
            #expect(theirs.html.contains("form id=\"revoke\"") && !theirs.html.contains("form id=\"accept\""))

            // Accepted with the counsellor named: she now sees it, and its words.
            let accepted = await Desks.call(shelterDesk, .post, "/referrals/\(ref)/accept", ["assign": "shelter-counsellor"])
            #expect(accepted.redirect == "/referrals/\(ref)", "\(accepted.html)")
            let after = await Desks.call(counsellor, .get, "/referrals/\(ref)")
            #expect(after.status == 200 && after.html.contains("data-state=\"accepted\""), "\(after.html)")
            #expect(after.html.contains("href=\"/records/\(id)\"") && after.html.contains("two children") && after.html.contains("a safe room tonight"))
            #expect(after.html.contains("<dd id=\"referral-assignee\">shelter-counsellor</dd>") && after.html.contains("form id=\"close\""))
            let desk = await Desks.call(shelterDesk, .get, "/referrals/\(ref)")
            #expect(desk.html.contains("form id=\"assign\"") && desk.html.contains("form id=\"unassign\"") && !desk.html.contains("form id=\"accept\""))
            // Unnamed, the counsellor has no part in it any more; named again, she has.
            #expect(await Desks.call(shelterDesk, .post, "/referrals/\(ref)/unassign").redirect == "/referrals/\(ref)")
            #expect(await Desks.call(counsellor, .get, "/referrals/\(ref)").status == 404)
            let named = await Desks.call(shelterDesk, .post, "/referrals/\(ref)/assign", ["assign": "shelter-counsellor"])
            #expect(named.redirect == "/referrals/\(ref)", "\(named.html)")
            #expect(await Desks.call(counsellor, .get, "/referrals/\(ref)").status == 200)
            let nobody = await Desks.call(shelterDesk, .post, "/referrals/\(ref)/assign", ["assign": "no-such-user"])
            #expect(nobody.status >= 400 && nobody.html.contains("role=\"alert\"") && nobody.html.contains("value=\"no-such-user\""), "\(nobody.html)")

            // Closing needs a reason; with one, it is closed, and then nothing more is offered.
            let bare = await Desks.call(shelterDesk, .post, "/referrals/\(ref)/close", ["reason": "  "])
            #expect(bare.status == 400 && bare.html.contains("Give a reason.") && bare.html.contains("role=\"alert\""))
            let closed = await Desks.call(shelterDesk, .post, "/referrals/\(ref)/close", ["reason": "moved to a family home"])
            #expect(closed.redirect == "/referrals/\(ref)", "\(closed.html)")
            let done = await Desks.call(ossc, .get, "/referrals/\(ref)")
            #expect(done.html.contains("data-state=\"closed\"") && done.html.contains("moved to a family home"))
            #expect(!done.html.contains("class=\"referral-step\""))
            // A step on a closed referral is havend's refusal, in the page, with the words kept.
            let again = await Desks.call(ossc, .post, "/referrals/\(ref)/revoke", ["reason": "changed our mind"])
            #expect(again.status == 403 && again.html.contains("already closed"), "\(again.html)")
            await Desks.close([ossc, shelterDesk, counsellor])
        }

        @Test func declineAndRevokeTakeReasonsAndAnyoneWithoutAPartIsToldNothing() async throws {
            let (v, id) = try Self.template.copy()
            let ossc = try await Desks.open(v, "intake", role: "intake", agency: "ossc-vientiane")
            let shelterDesk = try await Desks.open(v, "shelter-intake", role: "intake", agency: Self.shelter)
            let outsider = try await Desks.open(v, "counsellor", role: "counsellor", agency: "ossc-vientiane")
            let hospital = try await Desks.open(v, "health", role: "health", agency: "mahosot-hospital")
            let body = ["agency": Self.shelter, "service": "shelter", "reason": "a safe room"]

            let first = try #require(await Desks.call(ossc, .post, "/records/\(id)/refer", body).redirect?.split(separator: "/").last)
            let declined = await Desks.call(shelterDesk, .post, "/referrals/\(first)/decline", ["reason": "no bed free this week"])
            #expect(declined.redirect == "/referrals/\(first)", "\(declined.html)")
            #expect(await Desks.call(ossc, .get, "/referrals/\(first)").html.contains("no bed free this week"))
            let late = await Desks.call(shelterDesk, .post, "/referrals/\(first)/accept", ["assign": ""])
            #expect(late.status == 403 && late.html.contains("already declined"), "\(late.html)")

            let second = try #require(await Desks.call(ossc, .post, "/records/\(id)/refer", body).redirect?.split(separator: "/").last)
            // A second live one for the same service and agency: refused, the form kept.
            let twice = await Desks.call(ossc, .post, "/records/\(id)/refer", body)
            #expect(twice.status == 403 && twice.html.contains("already pending") && twice.html.contains(">a safe room</textarea>"), "\(twice.html)")
            // Those with no part in it: not found, from the page and from a step.
            for desk in [outsider, hospital] {
                let seen = await Desks.call(desk, .get, "/referrals/\(second)")
                #expect(seen.status == 404 && !seen.html.contains("shelter"), "\(seen.html)")
                let list = await Desks.call(desk, .get, "/referrals")
                #expect(!list.html.contains(String(second)))
            }
            let foreign = await Desks.call(hospital, .post, "/referrals/\(second)/accept", [:])
            #expect(foreign.status == 404, "\(foreign.html)")
            #expect(await Desks.call(ossc, .get, "/referrals/not-a-referral").status == 404)
            // The sender revokes it with a reason, which the page then shows escaped.
            let revoked = await Desks.call(ossc, .post, "/referrals/\(second)/revoke", ["reason": "survivor <b>changed</b> plans"])
            #expect(revoked.redirect == "/referrals/\(second)", "\(revoked.html)")
            let shown = await Desks.call(ossc, .get, "/referrals/\(second)")
            #expect(shown.html.contains("data-state=\"revoked\"") && shown.html.contains("survivor &lt;b&gt;changed&lt;/b&gt; plans"))
            await Desks.close([ossc, shelterDesk, outsider, hospital])
        }

        @Test func aReferralHavendRefusesIsShownWithTheFormAsTyped() async throws {
            let (v, id) = try Self.template.copy()
            let ossc = try await Desks.open(v, "intake", role: "intake", agency: "ossc-vientiane")
            // No police consent: havend refuses; the page says so and keeps the words.
            let police = await Desks.call(ossc, .post, "/records/\(id)/refer",
                                          ["agency": "police-vientiane", "service": "police", "reason": "to report the assault"])
            #expect(police.status == 403 && police.html.contains("consent:police not granted"), "\(police.html)")
            #expect(police.html.contains("<option value=\"police-vientiane\" selected>") && police.html.contains(">to report the assault</textarea>"))
            // The desk's own checks: what is missing is named, nothing is sent.
            let empty = await Desks.call(ossc, .post, "/records/\(id)/refer", ["agency": Self.shelter])
            #expect(empty.status == 400 && empty.html.contains("class=\"field-error\" data-for=\"service\"")
                    && empty.html.contains("data-for=\"reason\""), "\(empty.html)")
            let sent = await Desks.call(ossc, .get, "/referrals")
            #expect(!sent.html.contains("data-referral="))
            #expect(await Desks.call(ossc, .get, "/records/bad/refer").status == 404)
            await Desks.close([ossc])
        }
    }
}

/// Desks made directly over a HavenClient session with the person's enrolled key, and the
/// referral pages' routes called as functions: no browser and no front, so these tests see
/// what the handlers do with havend's answers.
private enum Desks {
    struct Answer {
        let status: Int
        let html: String
        let redirect: String?
    }

    static let routes: DeskRoutes = {
        var routes = DeskRoutes()
        ReferralPages.register(&routes)
        return routes
    }()

    static func open(_ v: TestVault, _ user: String, role: String, agency: String) async throws -> Desk {
        let client = try await v.client(as: user)
        let policy = try PolicyDirectory.load(v.policy)
        return Desk(user: user, role: role, agency: agency, words: Words(language: .en, catalog: Catalog(tables: [:])),
                    csrfToken: "test-token", policy: policy, vault: PersonVault(client: client),
                    idleWarningSeconds: 900, idleLockSeconds: 1200)
    }

    static func close(_ desks: [Desk]) async {
        for desk in desks { await desk.vault.close() }
    }

    static func call(_ desk: Desk, _ method: DeskRequest.Method, _ path: String, _ form: [String: String] = [:]) async -> Answer {
        guard let (handler, parameters) = routes.match(method, path) else { return Answer(status: 404, html: "no route", redirect: nil) }
        let response = await handler(DeskRequest(method: method, path: path, parameters: parameters, form: form), desk)
        switch response.body {
        case .page(let html): return Answer(status: response.status, html: html.raw, redirect: nil)
        case .redirect(let to): return Answer(status: response.status, html: "", redirect: to)
        case .text(let text): return Answer(status: response.status, html: text, redirect: nil)
        }
    }
}
