import Foundation
import Glibc
import HavenClient
import HavenCore
import HavenDesk
import HavenPolicy
import HavenProcess
import HavenTestSupport
import HavenWeb

/// A real havend (TestVault, the demo users enrolled) and the real haven-web binary in front
/// of it, on temporary paths, serving plain HTTP on a free port of 127.0.0.1.
final class WebDeskHarness: Sendable {
    let vault: TestVault
    let port: Int
    let webRoot: String
    private let process: ChildProcess
    let logPath: String

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var socketPath: String { vault.socket }
    var keysDir: String { webRoot + "/people" }
    var policyDir: String { vault.policy }

    static var binary: String { TestVault.binaries + "/haven-web" }

    private init(vault: TestVault, port: Int, webRoot: String, process: ChildProcess, logPath: String) {
        self.vault = vault
        self.port = port
        self.webRoot = webRoot
        self.process = process
        self.logPath = logPath
    }

    static func start(idleWarning: Int = 900, idleLock: Int = 1200) async throws -> WebDeskHarness {
        let vault = try TestVault()
        let webRoot = vault.root + "/web"
        try FileManager.default.createDirectory(atPath: webRoot + "/people", withIntermediateDirectories: true)
        chmod(webRoot + "/people", 0o700)
        let logPath = webRoot + "/haven-web.log"
        var lastFailure = ""
        // A free port can be taken between the probe and the bind: try a few.
        for _ in 0..<5 {
            let port = try LoopbackTCP.freePort()
            let process = try ChildProcess(binary, ["serve", "--socket", vault.socket, "--listen", "127.0.0.1:\(port)",
                                                    "--keys", webRoot + "/people", "--policy", vault.policy,
                                                    "--idle-warning", String(idleWarning), "--idle-lock", String(idleLock)],
                                           environment: Command.baseEnvironment, stdout: logPath, stderr: logPath)
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                if log.contains("haven-web: serving http://127.0.0.1:\(port)") {
                    return WebDeskHarness(vault: vault, port: port, webRoot: webRoot, process: process, logPath: logPath)
                }
                if !process.isRunning { break }
                usleep(20_000)
            }
            lastFailure = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            _ = process.stop(grace: 5)
        }
        throw TestFailure("haven-web did not start: \(lastFailure)")
    }

    /// haven-web's log so far (stderr and stdout).
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The real `haven-web invite NAME`; the link it prints.
    func invite(_ name: String) throws -> String {
        let r = try Command.run(Self.binary, ["invite", name, "--keys", keysDir, "--url", baseURL])
        guard r.status == 0 else { throw TestFailure("haven-web invite failed: \(r)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The real `haven user add` as the administrator, with `publicKey` (a key file's line).
    func enrol(_ name: String, role: String, agency: String, publicKey: String) throws {
        let file = webRoot + "/\(name).pub"
        try (publicKey + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try vault.expectOK(as: "admin", ["user", "add", name, "--role", role, "--agency", agency, "--public-key", file])
    }

    /// Invitation redeemed over HTTP, then enrolled: a person who can sign in with `passphrase`.
    func webUser(_ name: String, role: String, agency: String, passphrase: String) async throws {
        let link = try invite(name)
        let path = String(link.dropFirst(baseURL.count))
        let browser = WebBrowser(port: port)
        let page = try browser.get(path)
        guard page.status == 200 else { throw TestFailure("invitation page: \(page.status) \(page.text)") }
        let done = try browser.post(path, [("passphrase", passphrase), ("confirm", passphrase)])
        guard done.status == 200, let key = Self.element(done.text, open: "<code id=\"public-key\">", close: "</code>") else {
            throw TestFailure("invitation answer: \(done.status) \(done.text)")
        }
        try enrol(name, role: role, agency: agency, publicKey: key)
    }

    /// A browser signed in as `name` (after `webUser`).
    func signedIn(_ name: String, passphrase: String) throws -> WebBrowser {
        let browser = WebBrowser(port: port)
        try browser.get("/sign-in")
        let r = try browser.post("/sign-in", [("name", name), ("passphrase", passphrase)])
        guard r.status == 303, r.header("location") == "/records" else { throw TestFailure("sign-in: \(r.status) \(r.text)") }
        return browser
    }

    /// A Desk made directly over a HavenClient with a key of its own, enrolled (unless the
    /// name is one of the demo users), for calling page handlers as functions.
    func desk(for name: String, role: String, agency: String, language: Language = .en) async throws -> Desk {
        if !FileManager.default.fileExists(atPath: vault.keyPath(name)) {
            try vault.enrol(name, role: role, agency: agency)
        }
        let client = try await HavenClient.connect(socketPath: vault.socket, key: try vault.signingKey(name), answerTimeout: .seconds(60))
        guard let session = client.session else { throw TestFailure("no session for \(name)") }
        let policy = try PolicyDirectory.load(vault.policy)
        let words = Words(language: language, catalog: try Catalog.bundled())
        return Desk(user: session.user, role: session.role, agency: session.agency, words: words, csrfToken: "test-csrf-token",
                    policy: policy, vault: PersonVault(client: client), idleWarningSeconds: 900, idleLockSeconds: 1200)
    }

    /// haven-web's process id.
    var webPID: pid_t { process.pid }

    /// Sends SIGTERM to haven-web and waits for it; its exit status.
    @discardableResult
    func stopWeb() -> Int32 {
        process.stop(grace: 20).termination.status
    }

    func stop() async {
        if process.isRunning { _ = process.stop(grace: 20) }
        vault.stop()
    }

    deinit {
        if process.isRunning { _ = process.kill() }
    }

    /// The text between `open` and `close` in `html`, with the entities the desk writes decoded.
    static func element(_ html: String, open: String, close: String) -> String? {
        guard let start = html.range(of: open), let end = html.range(of: close, range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
