import Foundation
import HavenCore
import HavenDesk
import Testing

@Suite struct LayoutTests {
    static let words = Words(language: .en, catalog: Catalog(tables: [:]))

    static func frame(signedIn: Bool) -> PageFrame {
        PageFrame(title: "Records", section: .records, words: words, person: signedIn ? ("ana", "counsellor", "ossc-vientiane") : nil,
                  csrfToken: "tok", idleWarningSeconds: 900, idleLockSeconds: 1200)
    }

    @Test func aSignedInPageHasTheMenuAndTheControlsTheTestsUse() {
        let page = Layout.page(Self.frame(signedIn: true), body: "<p>x</p>").raw
        for id in ["nav id=\"menu\"", "a id=\"nav-records\"", "a id=\"nav-new\"", "a id=\"nav-find\"", "a id=\"nav-referrals\"",
                   "form id=\"language\"", "select id=\"language-choice\" name=\"language\"", "button id=\"language-submit\"",
                   "form id=\"lock\"", "button id=\"lock\"", "form id=\"sign-out\"", "button id=\"sign-out\"", "div id=\"idle-warning\"",
                   "data-csrf=\"tok\"", "data-idle-warning=\"900\"", "data-idle-lock=\"1200\"", "<option value=\"lo\"", "<option value=\"vi\"",
                   "class=\"skip-link\" href=\"#content\"", "aria-current=\"page\""] {
            #expect(page.contains(id), "\(id)")
        }
        // The Content-Security-Policy allows no inline script or style.
        #expect(!page.contains("<script>"))
        #expect(!page.contains("style="))
        #expect(page.range(of: #" on[a-z]+="#, options: .regularExpression) == nil)
    }

    @Test func beforeSignInThereIsNoMenuAndNoIdleTimer() {
        let page = Layout.page(Self.frame(signedIn: false), body: "").raw
        #expect(!page.contains("id=\"menu\""))
        #expect(!page.contains("data-idle-lock"))
        #expect(page.contains("form id=\"language\""))
    }

    @Test func theEnrolCommandIsTheCLIsOwn() {
        let command = FrontViews.enrolCommand(name: "ana", publicKey: "haven-ed25519-public-v1:AAAA")
        #expect(command == "printf '%s\\n' 'haven-ed25519-public-v1:AAAA' > ana.pub\nhaven user add ana --role ROLE --agency AGENCY --public-key ana.pub")
    }

    @Test func aRefusalSaysWhatHappenedAndWhatToDoAboveHavendsWords() {
        let html = RefusalView.render(HavenError(.denied, "role counsellor may not erase <records>", hint: "ask intake"), words: Self.words).raw
        #expect(html.contains("You may not do this."))
        #expect(html.contains("role counsellor may not erase &lt;records&gt;"))
        #expect(html.contains("data-code=\"denied\""))
        #expect(RefusalView.status(for: .denied) == 403)
        #expect(RefusalView.status(for: .notFound) == 404)
        #expect(RefusalView.status(for: .invalidValue) == 400)
        #expect(RefusalView.status(for: .conflict) == 409)
        #expect(RefusalView.status(for: .rateLimited) == 429)
        #expect(RefusalView.status(for: .sealed) == 503)
    }
}
