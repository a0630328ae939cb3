import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenServer
import HavenTestSupport
import HavenVault
import Logging
import NIOCore
import NIOHTTP1

/// havend's vault service and HTTP server inside the test process, on a temporary socket,
/// over a real data directory (a `TestVault`'s, with its users): the same `Vault.open` and
/// `HavenServer` the daemon runs, without starting a process per test or the CLI per call.
/// Requests go over the socket with the real client and the real authentication. Tests of
/// what only the binaries do (signals, crashes, exit statuses, the CLI's output) use
/// `TestVault` and `Command`.
final class InProcessVault {
    let files: TestVault
    private var vault: Vault?
    private var server: HavenServer?
    private var listener: (any Channel)?
    private var clients = [String: HavenClient]()
    /// Keys of users enrolled by a test (the standard users' are in keys-example/).
    private var extraKeys = [String: SigningKey]()

    /// An answer: its status, and its body as JSON or as the error it holds.
    struct Answer {
        let status: Int
        let body: [UInt8]

        var error: ErrorBody.Detail? { try? JSONDecoder().decode(ErrorBody.self, from: Data(body)).error }
        var text: String { String(decoding: body, as: UTF8.self) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard (200..<300).contains(status) else { throw TestFailure("answered \(status): \(text)") }
            return try JSONDecoder().decode(T.self, from: Data(body))
        }
    }

    /// A vault with the standard users, served in this process.
    static func start() async throws -> InProcessVault {
        let v = InProcessVault(files: try TestVault(enrol: true, start: false))
        try await v.start()
        return v
    }

    private init(files: TestVault) {
        self.files = files
    }

    func start() async throws {
        var logger = Logger(label: "havend-in-process")
        logger.logLevel = .critical
        let vault = try Vault.open(directory: DataDirectory(files.data), policyPath: files.policy, logger: logger)
        var configuration = ServerConfiguration()
        configuration.threads = 2
        let server = HavenServer(vault: vault, configuration: configuration, logger: logger)
        listener = try server.bind(socketPath: files.socket)
        try await vault.announceStart(on: server.group.next(), detail: ["socket": files.socket, "in_process": "true"]).get()
        self.vault = vault
        self.server = server
    }

    /// As havend stops on SIGTERM: no new connections, requests in flight finished and
    /// audited, a final checkpoint.
    func stop() async {
        for c in clients.values { await c.close() }
        clients = [:]
        try? await listener?.close().get()
        server?.drain(timeout: .seconds(10))
        vault?.shutdown()
        try? await server?.group.shutdownGracefully()
        unlink(files.socket)
        listener = nil
        server = nil
        vault = nil
    }

    /// A test that ended early (a failed `try`) did not stop the vault: it is stopped here,
    /// the same way but blocking, so the next test finds no server behind.
    deinit {
        guard let vault else { return }
        listener?.close(promise: nil)
        server?.drain(timeout: .seconds(10))
        vault.shutdown()
        try? server?.shutdown()
        unlink(files.socket)
    }

    // MARK: requests

    private func key(_ user: String) throws -> SigningKey {
        if let k = extraKeys[user] { return k }
        return try files.signingKey(user)
    }

    /// The user's session, opened once and kept (a refused request may close it: the next
    /// request opens another).
    func client(_ user: String) async throws -> HavenClient {
        if let c = clients[user] { return c }
        let c = try await HavenClient.connect(socketPath: files.socket, key: try key(user), answerTimeout: .seconds(60))
        clients[user] = c
        return c
    }

    func call(_ user: String, _ method: HTTPMethod, _ path: String, _ body: (some Encodable)? = String?.none) async throws -> Answer {
        let bytes = try body.map { [UInt8](try JSONEncoder().encode($0)) }
        let c = try await client(user)
        let r = try await c.connection.send(method: method, path: path, body: bytes)
        if r.status >= 400 {
            clients[user] = nil
            await c.close()
        }
        return Answer(status: r.status, body: r.body)
    }

    /// Calls that must succeed, decoded.
    func ok<T: Decodable>(_ user: String, _ method: HTTPMethod, _ path: String, _ body: (some Encodable)? = String?.none,
                          as type: T.Type = RecordWriteResponse.self) async throws -> T {
        try await call(user, method, path, body).decode(T.self)
    }

    func createRecord(_ fields: [String: String], assign: [String] = [], as user: String = "intake") async throws -> String {
        try await ok(user, .POST, "/v1/records",
                     CreateRecordRequest(type: "gbv_incident", fields: fields, assign: assign.isEmpty ? nil : assign)).id
    }

    func read(_ user: String, _ id: String, fields: [String]? = nil, breakGlass: String? = nil) async throws -> Answer {
        try await call(user, .POST, "/v1/records/\(id)/read",
                       ReadRecordRequest(purpose: "in-process test", fields: fields, breakGlass: breakGlass))
    }

    func consent(_ id: String, _ flag: String, _ action: String, evidence: String? = nil, expires: String? = nil,
                 as user: String = "intake") async throws -> Answer {
        try await call(user, .POST, "/v1/records/\(id)/consent",
                       ConsentChangeRequest(flag: flag, action: action, evidence: evidence, expires: expires))
    }

    /// Enrols a new user with a key made here.
    func enrol(_ name: String, role: String, agency: String) async throws {
        let key = SigningKey.generate()
        _ = try await ok("admin", .POST, "/v1/users",
                         AddUserRequest(name: name, role: role, agency: agency, publicKey: KeyFileFormat.encodePublic(key.publicKey), uid: nil),
                         as: UserSummary.self)
        extraKeys[name] = key
    }
}
