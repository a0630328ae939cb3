import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenProcess
import HavenTestSupport
import HavenWeb
import Testing

extension EndToEnd {
    /// The front against the attacks of the first security review, with the real havend
    /// and the real haven-web: a tab left open after a lock, parallel guesses, a stranger
    /// failing in a counsellor's name, a request in flight during a lock, another policy,
    /// a body sent before signing in, sign-in over an existing session, sign-out when idle.
    @Suite struct WebFrontAttackTests {
        static let passphrase = "correct horse battery staple"

        /// A page drawn before a lock or a sign-out holds a token that is no longer good:
        /// /touch still tells it "locked" (409), so the script blanks it.
        @Test func touchSaysLockedToAPageDrawnBeforeTheLockOrSignOut() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            try browser.get("/records")
            let oldToken = try #require(browser.csrf)
            #expect(try browser.post("/touch", [], csrf: oldToken).status == 204)
            #expect(try browser.post("/lock", []).status == 303)
            let touched = try browser.post("/touch", [], csrf: oldToken)
            #expect(touched.status == 409)
            #expect(!touched.text.contains("ana"))
            let out = try desk.signedIn("ana", passphrase: Self.passphrase)
            try out.get("/records")
            let token = try #require(out.csrf)
            #expect(try out.post("/sign-out", []).status == 303)
            #expect(try out.post("/touch", [], csrf: token).status == 409)
            #expect(try WebBrowser(port: desk.port).post("/touch", [], csrf: "none").status == 409)
        }

        /// The server's idle lock, met by the script's /touch, is a 409 too (not a redirect
        /// the script sees as status 0); a sign-out after the idle time signs out.
        @Test func afterTheIdleTimeTouchIsLockedAndSignOutSignsOut() async throws {
            let desk = try await WebDeskHarness.start(idleWarning: 1, idleLock: 2)
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            try browser.get("/records")
            try await Task.sleep(for: .seconds(3))
            #expect(try browser.post("/touch", []).status == 409)

            let other = try desk.signedIn("ana", passphrase: Self.passphrase)
            try other.get("/records")
            try await Task.sleep(for: .seconds(3))
            let out = try other.post("/sign-out", [])
            #expect(out.status == 303)
            #expect(out.header("location") == "/sign-in")
            #expect(out.setCookie("__Host-haven-session") == "")
            let after = try other.get("/locked")
            #expect(after.header("location") == "/sign-in")
        }

        /// Guesses sent at once: each is counted before the key work, so no more get through
        /// than one after another would.
        @Test func parallelSignInsAreCountedBeforeTheKeyWork() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = WebBrowser(port: desk.port)
            try browser.get("/sign-in")
            let token = try #require(browser.csrf)
            let cookie = browser.cookieHeader, port = desk.port
            let statuses = Statuses()
            let group = DispatchGroup()
            for attempt in 0..<12 {
                group.enter()
                Thread {
                    let body = WebHTTP.form([("_csrf", token), ("name", "ana"), ("passphrase", "wrong passphrase \(attempt)")])
                    let r = try? WebHTTP.send(port: port, method: "POST", path: "/sign-in",
                                              headers: [("Cookie", cookie), ("Origin", "null"), ("Sec-Fetch-Site", "same-origin"),
                                                        ("Content-Type", "application/x-www-form-urlencoded")], body: body)
                    statuses.add(r?.status ?? 0)
                    group.leave()
                }.start()
            }
            group.wait()
            let all = statuses.all
            #expect(all.filter { $0 == 401 }.count <= 5, "\(all)")
            #expect(all.allSatisfy { [401, 429, 503].contains($0) }, "\(all)")
            #expect(try browser.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)]).status == 429)
        }

        /// A stranger failing in her name keeps her out of a fresh sign-in for a while, never
        /// out of unlocking her own locked session; unlock guesses are counted on the session.
        @Test func strangersFailingInHerNameDoNotBlockHerUnlock() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let ana = try desk.signedIn("ana", passphrase: Self.passphrase)
            try ana.get("/records")
            #expect(try ana.post("/lock", []).status == 303)
            let stranger = WebBrowser(port: desk.port)
            try stranger.get("/sign-in")
            for attempt in 0..<6 { try stranger.post("/sign-in", [("name", "ana"), ("passphrase", "guess \(attempt) of a stranger")]) }
            #expect(try stranger.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)]).status == 429)
            try ana.get("/locked")
            let unlocked = try ana.post("/unlock", [("passphrase", Self.passphrase)])
            #expect(unlocked.status == 303)
            #expect(unlocked.header("location") == "/records")

            // Someone at her locked desk: five guesses, then the session is gone.
            try ana.get("/records")
            #expect(try ana.post("/lock", []).status == 303)
            try ana.get("/locked")
            for attempt in 0..<5 {
                #expect(try ana.post("/unlock", [("passphrase", "not hers \(attempt)")]).status == 401)
            }
            let dropped = try ana.post("/unlock", [("passphrase", Self.passphrase)])
            #expect(dropped.status == 303)
            #expect(dropped.header("location") == "/sign-in")
            #expect(try ana.get("/locked").header("location") == "/sign-in")
        }

        /// A PersonVault closed by a lock never opens havend again, even when a call of a
        /// request still in flight finds its connection closed.
        @Test func aClosedPersonVaultNeverReconnects() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let key = try desk.vault.signingKey("counsellor")
            let client = try await HavenClient.connect(socketPath: desk.socketPath, key: key)
            let vault = PersonVault(client: client, socketPath: desk.socketPath, key: key)
            let before: SessionResponse = try await vault.get("/v1/status")
            #expect(before.user == "counsellor")
            await vault.close()
            #expect(vault.isClosed)
            var code: ErrorCode?
            do {
                let _: SessionResponse = try await vault.get("/v1/status")
            } catch {
                code = error.code
            }
            #expect(code == .unavailable)
        }

        /// haven-web started with a policy that is not havend's refuses every sign-in.
        @Test func aDeskWithAnotherPolicyOpensNothing() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let other = desk.webRoot + "/other-policy"
            try FileManager.default.copyItem(atPath: desk.policyDir, toPath: other)
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: other).sorted().first { $0.hasSuffix(".yaml") })
            let handle = try #require(FileHandle(forWritingAtPath: other + "/" + file))
            handle.seekToEndOfFile()
            handle.write(Data("\n# another edition\n".utf8))
            try handle.close()
            let port = try LoopbackTCP.freePort()
            let log = desk.webRoot + "/other.log"
            let web = try ChildProcess(WebDeskHarness.binary, ["serve", "--socket", desk.socketPath, "--listen", "127.0.0.1:\(port)",
                                                               "--keys", desk.keysDir, "--policy", other],
                                       environment: Command.baseEnvironment, stdout: log, stderr: log)
            defer { _ = web.stop(grace: 10) }
            try waitFor { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("serving http://127.0.0.1:\(port)") }
            let browser = WebBrowser(port: port)
            try browser.get("/sign-in")
            let r = try browser.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)])
            #expect(r.status == 503)
            #expect(r.text.contains("another policy than the vault"))
            #expect(r.setCookie("__Host-haven-session") == nil)
            #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("policy mismatch"))
        }

        /// Core dumps off, like havend (not dumpable is the same call, checked for havend).
        @Test func theDeskProcessIsHardened() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let limits = try String(contentsOfFile: "/proc/\(desk.webPID)/limits", encoding: .utf8)
            let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
            #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")
        }

        /// A POST to a signed-in page without a session is sent to sign in before its body is
        /// read (so its size does not matter); a file goes only to the consent form.
        @Test func aBodyIsReadOnlyForASessionAndAFileOnlyForConsent() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let big = [UInt8](repeating: UInt8(ascii: "a"), count: 70 * 1024)
            let stranger = try WebHTTP.send(port: desk.port, method: "POST", path: "/records/new",
                                            headers: [("Origin", "http://127.0.0.1:\(desk.port)"), ("Content-Type", "application/x-www-form-urlencoded")],
                                            body: big)
            #expect(stranger.status == 303)
            #expect(stranger.header("location") == "/sign-in")
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let ana = try desk.signedIn("ana", passphrase: Self.passphrase)
            let file = [UInt8](repeating: UInt8(ascii: "b"), count: 200 * 1024)
            let r = try WebHTTP.send(port: desk.port, method: "POST", path: "/records/new",
                                     headers: [("Cookie", ana.cookieHeader), ("Origin", ana.origin),
                                               ("Content-Type", "multipart/form-data; boundary=xyz")], body: file)
            #expect(r.status == 413)
        }

        /// Signing in again from the same browser ends its old session; a person holds at
        /// most four sessions, the oldest going first.
        @Test func signingInAgainEndsTheOldSessionAndSessionsPerPersonAreCapped() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            let first = browser.cookies
            // A second tab's sign-in form, sent after the first tab signed in.
            let again = try browser.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)],
                                         csrf: browser.cookies["__Host-haven-form"])
            #expect(again.status == 303)
            let replay = WebBrowser(port: desk.port)
            replay.cookies = first
            #expect(try replay.get("/records").header("location") == "/sign-in")

            let oldest = try desk.signedIn("ana", passphrase: Self.passphrase)
            var others: [WebBrowser] = []
            for _ in 0..<4 { others.append(try desk.signedIn("ana", passphrase: Self.passphrase)) }
            #expect(try oldest.get("/records").header("location") == "/sign-in")
            for other in others { #expect(try other.get("/records").status == 200) }
        }
    }
}

/// Answers' statuses gathered from several threads.
private final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func add(_ status: Int) { lock.withLock { values.append(status) } }
    var all: [Int] { lock.withLock { values } }
}
