import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Issue 34's "Must show" in a real browser: each scenario of Tests/Browser/desk_scenarios.py
    /// drives headless Chromium (Debian's, through its chromedriver and Selenium) against the
    /// real havend and haven-web on temporary sockets and a loopback port, as the people the
    /// harness made from invitations, and as the attacker of each check (another origin's page,
    /// a rebound Host, a copied cookie, a role without the field). A failure prints what the
    /// script said; its screenshots and page sources are kept under HAVEN_DESK_ARTIFACTS (or
    /// the temporary directory's haven-desk-artifacts).
    @Suite(.serialized, .enabled(if: WebDeskBrowser.available, WebDeskBrowser.missing))
    struct WebDeskBrowserTests {
        /// The suite runs every scenario the script has, and no name the script does not know.
        @Test func theScenariosAreTheScripts() throws {
            guard let python3 = VectorScript.python3 else { throw TestFailure("no python3") }
            let listed = try Command.run(python3, [WebDeskBrowser.script, "--list"], environment: ["SE_OFFLINE": "true"])
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.stdout.split(separator: "\n").map(String.init) == WebDeskBrowser.scenarios)
        }

        @Test(arguments: WebDeskBrowser.scenarios)
        func scenario(_ name: String) async throws {
            do {
                let world = try await BrowserDeskWorlds.shared.world(for: name)
                _ = try await WebDeskBrowser.run(name, on: world)
            } catch {
                await BrowserDeskWorlds.shared.done(name)
                throw error
            }
            await BrowserDeskWorlds.shared.done(name)
        }
    }
}
