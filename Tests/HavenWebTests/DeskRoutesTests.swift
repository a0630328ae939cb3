import HavenDesk
@testable import HavenWeb
import Testing

@Suite struct DeskRoutesTests {
    @Test func patternsMatchTheirPartsOnly() {
        var routes = DeskRoutes()
        routes.get("/records/:id") { _, _ in .text("one") }
        routes.post("/records/:id/notes") { _, _ in .text("note") }
        #expect(routes.match(.get, "/records/abc")?.parameters == ["id": "abc"])
        #expect(routes.match(.post, "/records/abc/notes")?.parameters == ["id": "abc"])
        #expect(routes.match(.get, "/records/abc/notes") == nil)
        #expect(routes.match(.post, "/records/abc") == nil)
        routes.get("/records/new") { _, _ in .text("new") }
        #expect(routes.match(.get, "/records/new")?.parameters == [:])
    }
}
