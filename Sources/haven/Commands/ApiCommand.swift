import ArgumentParser
import Foundation
import HavenAPI
import HavenClient
import HavenCore
import NIOHTTP1

/// `haven api METHOD PATH [--data JSON|@FILE|@-]`: one request to the daemon with your
/// session, its answer on stdout as the daemon wrote it, for scripts and for trying the API
/// (like `gh api`). An error answer is also one line on stderr, with the usual exit status.
struct ApiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Send one request to the daemon's /v1/ API and print its JSON answer.",
        discussion: """
            Examples: haven api GET /v1/status; haven api POST /v1/records/ID/read --data '{"purpose":"review"}'; \
            haven api GET /v1/health --no-session. The API is described in openapi.yaml.
            """)

    @Argument(help: "GET, POST or PATCH.") var method: String
    @Argument(help: "The path, from /v1/ (with any query string).") var path: String
    @Option(help: ArgumentHelp("The JSON body; @FILE reads a file, @- stdin.", valueName: "json")) var data: String?
    @Flag(help: "Send without opening a session (only /v1/health and the handshake answer so).") var noSession = false
    @OptionGroup var connection: ConnectionOptions
    /// The answer is JSON already; under --json an error is JSON on stderr too.
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ["GET", "POST", "PATCH"].contains(method.uppercased()) else { throw ValidationError("the method must be GET, POST or PATCH") }
        guard path.hasPrefix("/v1/") else { throw ValidationError("the path must start with /v1/") }
    }

    func run() async throws {
        var stdin = StdinUse()
        let body = try data.map { Array(try ValueInput.resolve($0, what: "--data", stdin: &stdin).utf8) }
        let method = HTTPMethod(rawValue: self.method.uppercased())
        let send = { (client: HavenClient) in
            try await client.connection.send(method: method, path: path, body: body, contentType: body == nil ? nil : "application/json")
        }
        let response: ClientResponse
        if noSession {
            response = try await connection.withAnonymousClient(send)
        } else {
            response = try await connection.withClient(send)
        }
        Output.raw(response.body + (response.body.last == 0x0A ? [] : [0x0A]))
        guard (200..<300).contains(response.status) else {
            guard let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)) else {
                throw HavenError(.internalError, "havend answered \(response.status) without an error body")
            }
            throw error.havenError
        }
    }
}
