import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The read pages through the real haven-web over real HTTP, as a signed-in counsellor's
    /// browser reaches them: the list without names, a name asked for as the desk's script
    /// asks, the record, a search; and nothing of the survivor in haven-web's log.
    @Suite struct WebRecordReadHTTPTests {
        static let passphrase = "correct horse battery staple"

        @Test func aCounsellorsBrowserListsOpensAndFindsWithoutANameInTheLog() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let name = "Bounmy Sysavath"
            let id = try desk.vault.createRecord(["survivor_name": name, "phone": "020 9999 4321", "incident_type": "rape"], assign: ["ana"])
            try desk.vault.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)

            let list = try browser.get("/records")
            #expect(list.status == 200 && list.text.contains("<tr data-record=\"\(id)\""))
            #expect(!list.text.contains("Bounmy") && list.header("cache-control")?.contains("no-store") == true)
            let token = try #require(browser.csrf)
            let shown = try browser.post("/records/\(id)/name", [], headers: [("Origin", browser.origin), ("X-CSRF-Token", token)])
            #expect(shown.status == 200 && shown.text == name)

            let record = try browser.get("/records/\(id)")
            #expect(record.status == 200 && record.text.contains("<dd data-field=\"survivor_name\">\(name)</dd>"))
            let found = try browser.post("/find", [("name", "bounmy sysavath"), ("purpose", "returning")])
            #expect(found.status == 200 && found.text.contains("<tr data-record=\"\(id)\">"))
            #expect(found.header("location") == nil)

            let log = desk.log
            for secret in ["Bounmy", "bounmy", "Sysavath", "9999"] { #expect(!log.contains(secret), "\(secret) in haven-web's log") }
        }
    }
}
