import Foundation
@testable import HavenServer
import HavenTestSupport
import NIOHTTP1
import Testing
import Yams

/// openapi.yaml and the server's routing table describe the same endpoints, no more, no less.
@Suite struct OpenAPITests {
    static let documentPath = Repository.path("Sources/HavenServer/openapi.yaml")

    func documented() throws -> Set<String> {
        let text = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        guard let doc = try Yams.load(yaml: text) as? [String: Any], let paths = doc["paths"] as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        var out = Set<String>()
        for (path, item) in paths {
            for method in ((item as? [String: Any]) ?? [:]).keys where ["get", "post", "patch", "put", "delete"].contains(method) {
                out.insert("\(method.uppercased()) \(path)")
            }
        }
        return out
    }

    @Test func documentAndRoutingTableAgree() throws {
        let served = Set(Route.table.map { "\($0.method.rawValue) \($0.template)" })
        let doc = try documented()
        #expect(served.subtracting(doc).isEmpty, "served but not documented: \(served.subtracting(doc).sorted())")
        #expect(doc.subtracting(served).isEmpty, "documented but not served: \(doc.subtracting(served).sorted())")
    }

    @Test func everyDocumentedPathRoutes() throws {
        for entry in try documented() {
            let parts = entry.split(separator: " ")
            let path = parts[1].replacingOccurrences(of: "{id}", with: "aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .replacingOccurrences(of: "{name}", with: "ana")
            let result = Route.match(method: HTTPMethod(rawValue: String(parts[0])), path: path)
            guard case .success = result else {
                Issue.record("\(entry) does not route")
                continue
            }
        }
    }

    @Test func unknownPathsAndMethodsMiss() {
        guard case .failure(.notFound) = Route.match(method: .GET, path: "/v1/records/x/y/z") else { Issue.record("routed"); return }
        guard case .failure(.notFound) = Route.match(method: .GET, path: "/v2/status") else { Issue.record("routed"); return }
        guard case .failure(.methodNotAllowed) = Route.match(method: .DELETE, path: "/v1/users") else { Issue.record("routed"); return }
        guard case .failure(.notFound) = Route.match(method: .PATCH, path: "/v1/records/") else { Issue.record("routed empty id"); return }
    }
}
