import HavenAPI
import HavenClient
import HavenDesk
import HavenPolicy
import HavenTestSupport
@testable import HavenWeb

/// The read pages' handlers called as the desk's front calls them: through the route table,
/// as one enrolled person with their own havend session over the real socket, in their
/// language from the desk's bundled translations (no browser, no haven-web process: the
/// harness's `desk(for:)` does the same with haven-web running beside it).
struct ReadDesk {
    let desk: Desk
    let routes = DeskPages.routes()

    init(_ v: TestVault, _ user: String, role: String, agency: String, language: Language = .en) async throws {
        let client = try await v.client(as: user)
        desk = Desk(user: user, role: role, agency: agency, words: Words(language: language, catalog: try Catalog.bundled()),
                    csrfToken: "test-token", policy: try PolicyDirectory.load(v.policy), vault: PersonVault(client: client),
                    idleWarningSeconds: 900, idleLockSeconds: 1200)
    }

    func get(_ path: String, query: [String: String] = [:]) async throws -> DeskResponse {
        try await call(.get, path, query: query)
    }

    func post(_ path: String, form: [String: String] = [:]) async throws -> DeskResponse {
        try await call(.post, path, form: form)
    }

    private func call(_ method: DeskRequest.Method, _ path: String, query: [String: String] = [:],
                      form: [String: String] = [:]) async throws -> DeskResponse {
        guard let (handler, parameters) = routes.match(method, path) else { throw TestFailure("no route for \(method) \(path)") }
        return await handler(DeskRequest(method: method, path: path, parameters: parameters, query: query, form: form), desk)
    }
}

extension DeskResponse {
    /// The page's HTML, or the text answer; "" for a redirect.
    var readPageText: String {
        switch body {
        case .page(let h): return h.raw
        case .text(let t): return t
        case .redirect: return ""
        }
    }
}
