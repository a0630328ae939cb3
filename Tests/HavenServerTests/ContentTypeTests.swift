@testable import HavenServer
import NIOHTTP1
import Testing

@Suite struct ContentTypeTests {
    func head(_ type: String?) -> HTTPRequestHead {
        var h = HTTPHeaders()
        if let type { h.add(name: "Content-Type", value: type) }
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/records", headers: h)
    }

    @Test func jsonIsRecognisedWithParametersCaseAndBlanks() {
        for t in ["application/json", "Application/JSON", " application/json ; charset=utf-8", "application/json;", "\tapplication/json"] {
            #expect(ContentType.isJSON(head(t)), "\(t)")
        }
    }

    @Test func anythingElseIsNot() {
        for t in ["", ";", "text/plain", "application/jsonx", "application/json-patch+json", "application/ json", "json", "application/jso"] {
            #expect(!ContentType.isJSON(head(t)), "\(t)")
        }
        #expect(!ContentType.isJSON(head(nil)))
    }

    @Test func routesMatchTheirTemplates() throws {
        #expect(try Route.match(method: .POST, path: "/v1/records/abc/read").get() == .readRecord("abc"))
        #expect(try Route.match(method: .GET, path: "/v1/status").get() == .status)
        guard case .failure(.methodNotAllowed) = Route.match(method: .DELETE, path: "/v1/status") else { Issue.record("DELETE"); return }
        guard case .failure(.notFound) = Route.match(method: .POST, path: "/v1/records//read") else { Issue.record("empty id"); return }
    }
}
