import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The desk's front door against the real havend and the real haven-web over real HTTP:
    /// the invitation, sign-in, and each attacker of the front — another site's page, a
    /// rebinding name, a cookie kept from before a lock or a sign-out, a guesser.
    @Suite struct WebFrontTests {
        static let passphrase = "correct horse battery staple"

        @Test func anInvitedEnrolledPersonSignsInAndSeesTheDesk() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = WebBrowser(port: desk.port)
            try browser.get("/sign-in")
            let signedIn = try browser.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)])
            #expect(signedIn.status == 303)
            #expect(signedIn.header("location") == "/records")
            let cookie = try #require(signedIn.all("set-cookie").first { $0.hasPrefix("__Host-haven-session=") })
            for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag), "\(cookie)") }
            #expect(!cookie.contains("Domain"))
            let page = try browser.get("/records")
            #expect(page.text.contains("<nav id=\"menu\""))
            #expect(page.text.contains("id=\"nav-records\""))
            #expect(page.text.contains("data-idle-lock=\"1200\""))
            #expect(page.text.contains("ana"))
            // Never the passphrase in the log; the sign-in by name.
            #expect(!desk.log.contains(Self.passphrase))
        }

        @Test func aWrongHostIsMisdirected() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            for method in ["GET", "POST"] {
                let r = try WebHTTP.send(port: desk.port, method: method, path: "/sign-in", host: "rebound.example:\(desk.port)")
                #expect(r.status == 421)
                #expect(r.header("content-type")?.hasPrefix("text/plain") == true)
                #expect(r.header("cache-control") == "no-store")
            }
            #expect(try WebHTTP.send(port: desk.port, method: "GET", path: "/sign-in", host: "localhost:\(desk.port)").status == 421)
            #expect(try WebHTTP.send(port: desk.port, method: "GET", path: "/sign-in").status == 200)
        }

        @Test func aFormFromAnotherSiteOrWithoutItsTokenChangesNothing() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            try browser.get("/records")
            let token = try #require(browser.csrf)
            let attempts: [(headers: [(String, String)], csrf: String?)] = [
                ([("Origin", "http://evil.example")], token),
                ([], token),                                                    // no Origin
                ([("Origin", browser.origin), ("Sec-Fetch-Site", "cross-site")], token),
                ([("Origin", browser.origin)], "not-the-token"),
                ([("Origin", "null")], token),
                ([("Origin", "null"), ("Sec-Fetch-Site", "cross-site")], token),
                ([("Origin", "null"), ("Sec-Fetch-Site", "same-origin")], "not-the-token"),
            ]
            for attempt in attempts {
                for path in ["/language", "/sign-out", "/lock"] {
                    let r = try browser.post(path, [("language", "lo")], csrf: attempt.csrf, headers: attempt.headers)
                    #expect(r.status == 403, "\(path) \(attempt.headers)")
                    #expect(r.text.contains("This form did not come from this desk"))
                }
            }
            // Nothing changed: still signed in, unlocked, in English.
            let page = try browser.get("/records")
            #expect(page.text.contains("<html lang=\"en\" translate=\"no\">"))
            #expect(page.text.contains("id=\"menu\""))
            // The desk's own form does change the language.
            #expect(try browser.post("/language", [("language", "lo")]).status == 303)
            #expect(try browser.get("/records").text.contains("<html lang=\"lo\" translate=\"no\">"))
        }

        @Test func aCookieKeptFromBeforeSignOutOrLockOpensNothing() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)

            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            let before = browser.cookies
            try browser.get("/records")
            let out = try browser.post("/sign-out", [])
            #expect(out.status == 303)
            #expect(out.header("clear-site-data") == "\"cache\", \"cookies\", \"storage\"")
            #expect(out.setCookie("__Host-haven-session") == "")
            browser.cookies = before
            let replayed = try browser.get("/records")
            #expect(replayed.status == 303)
            #expect(replayed.header("location") == "/sign-in")
            #expect(!replayed.text.contains("ana"))

            let second = try desk.signedIn("ana", passphrase: Self.passphrase)
            let unlocked = second.cookies
            try second.get("/records")
            let locked = try second.post("/lock", [])
            #expect(locked.status == 303)
            #expect(locked.header("location") == "/locked")
            let lockedCookie = try #require(locked.setCookie("__Host-haven-session"))
            #expect(lockedCookie != unlocked["__Host-haven-session"])
            let lockPage = try second.get("/locked")
            #expect(lockPage.text.contains("<form id=\"unlock\""))
            #expect(!lockPage.text.contains("id=\"menu\""))
            #expect(try second.get("/records").header("location") == "/locked")
            second.cookies = unlocked
            let old = try second.get("/records")
            #expect(old.status == 303)
            #expect(old.header("location") == "/sign-in")
        }

        @Test func unlockNeedsThePassphrase() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            try browser.get("/records")
            // The script's lock: the token in a header, no form.
            let locked = try WebHTTP.send(port: desk.port, method: "POST", path: "/lock",
                                          headers: [("Cookie", browser.cookieHeader), ("Origin", browser.origin), ("X-CSRF-Token", browser.csrf ?? "")])
            #expect(locked.status == 303)
            let lockCookie = try #require(locked.setCookie("__Host-haven-session"))
            browser.cookies["__Host-haven-session"] = lockCookie
            try browser.get("/locked")
            let wrong = try browser.post("/unlock", [("passphrase", "not the passphrase at all")])
            #expect(wrong.status == 401)
            #expect(!wrong.text.contains("id=\"menu\""))
            #expect(try browser.post("/unlock", [("passphrase", "")]).status == 400)
            let lockedCookie = browser.cookies["__Host-haven-session"]
            let right = try browser.post("/unlock", [("passphrase", Self.passphrase)])
            #expect(right.status == 303)
            #expect(right.header("location") == "/records")
            let fresh = try #require(right.setCookie("__Host-haven-session"))
            #expect(fresh != lockedCookie)
            #expect(try browser.get("/records").text.contains("id=\"menu\""))
        }

        @Test func theIdleClockLocksOnTheNextRequest() async throws {
            let desk = try await WebDeskHarness.start(idleWarning: 1, idleLock: 2)
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try desk.signedIn("ana", passphrase: Self.passphrase)
            #expect(try browser.get("/records").text.contains("data-idle-warning=\"1\""))
            try await Task.sleep(for: .seconds(3))
            let r = try browser.get("/records")
            #expect(r.status == 303)
            #expect(r.header("location") == "/locked")
            #expect(r.setCookie("__Host-haven-session") != nil)
        }

        @Test func repeatedWrongPassphrasesAreThrottledAndLogged() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = WebBrowser(port: desk.port)
            try browser.get("/sign-in")
            var unknown: String?
            // Four for the name and one for an unknown name: five from this address.
            for attempt in 0..<4 {
                let r = try browser.post("/sign-in", [("name", "ana"), ("passphrase", "wrong passphrase \(attempt)")])
                #expect(r.status == 401)
                #expect(r.text.contains("The name or the passphrase is not right."))
                #expect(!r.text.contains("wrong passphrase"))
                if attempt == 0 {
                    let u = try browser.post("/sign-in", [("name", "nobody"), ("passphrase", "wrong passphrase")])
                    unknown = u.text.contains("The name or the passphrase is not right.") ? "same" : u.text
                }
            }
            #expect(unknown == "same")
            // The next attempt waits, even with the right passphrase, and says when to retry.
            let throttled = try browser.post("/sign-in", [("name", "ana"), ("passphrase", Self.passphrase)])
            #expect(throttled.status == 429)
            #expect(throttled.text.contains("Try again in"))
            #expect(throttled.setCookie("__Host-haven-session") == nil)
            #expect(desk.log.contains("sign-in failed"))
            #expect(!desk.log.contains("wrong passphrase"))
        }

        @Test func aKeyNotYetEnrolledIsToldWhatTheAdministratorMustRun() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let link = try desk.invite("bea")
            let browser = WebBrowser(port: desk.port)
            let path = String(link.dropFirst(desk.baseURL.count))
            try browser.get(path)
            let short = try browser.post(path, [("passphrase", "too short"), ("confirm", "too short")])
            #expect(short.status == 400)
            #expect(!short.text.contains("too short\""))
            let mismatch = try browser.post(path, [("passphrase", Self.passphrase), ("confirm", Self.passphrase + "!")])
            #expect(mismatch.status == 400)
            #expect(!mismatch.text.contains(Self.passphrase))
            let done = try browser.post(path, [("passphrase", Self.passphrase), ("confirm", Self.passphrase)])
            #expect(done.status == 200)
            let key = try #require(WebDeskHarness.element(done.text, open: "<code id=\"public-key\">", close: "</code>"))
            #expect(key.hasPrefix("haven-ed25519-public-v1:"))
            #expect(done.text.contains("<pre id=\"enrol-command\">"))
            #expect(done.text.contains("haven user add bea --role ROLE --agency AGENCY --public-key bea.pub"))
            // The invitation is spent.
            #expect(try browser.get(path).status == 404)
            let signIn = WebBrowser(port: desk.port)
            try signIn.get("/sign-in")
            let refused = try signIn.post("/sign-in", [("name", "bea"), ("passphrase", Self.passphrase)])
            #expect(refused.status == 403)
            #expect(refused.text.contains(key))
            #expect(refused.setCookie("__Host-haven-session") == nil)
        }

        @Test func everyKindOfAnswerCarriesTheSecurityHeaders() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let browser = WebBrowser(port: desk.port)
            var answers: [(String, WebResponse)] = []
            answers.append(("page", try browser.get("/sign-in")))
            answers.append(("redirect", try browser.get("/")))
            answers.append(("signed-out page", try browser.get("/records")))
            answers.append(("421", try WebHTTP.send(port: desk.port, method: "GET", path: "/", host: "evil.example")))
            answers.append(("403", try browser.post("/sign-in", [("name", "x")], csrf: "wrong")))
            answers.append(("404 invitation", try browser.get("/invite/0123")))
            answers.append(("static 404", try browser.get("/static/nothing.js")))
            let big = [UInt8](repeating: UInt8(ascii: "a"), count: 70 * 1024)
            answers.append(("413", try WebHTTP.send(port: desk.port, method: "POST", path: "/sign-in",
                                                    headers: [("Origin", browser.origin), ("Content-Type", "application/x-www-form-urlencoded")], body: big)))
            let css = try browser.get("/static/desk.css")
            let js = try browser.get("/static/desk.js")
            #expect(css.status == 200 && js.status == 200)
            #expect(js.header("content-type")?.hasPrefix("text/javascript") == true)
            for (kind, r) in answers + [("css", css), ("js", js)] {
                #expect(r.header("content-security-policy") == "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", "\(kind)")
                #expect(r.header("x-frame-options") == "DENY", "\(kind)")
                #expect(r.header("referrer-policy") == "no-referrer", "\(kind)")
                #expect(r.header("x-content-type-options") == "nosniff", "\(kind)")
                #expect(r.header("cross-origin-opener-policy") == "same-origin", "\(kind)")
                #expect(r.header("cross-origin-resource-policy") == "same-origin", "\(kind)")
                #expect(r.header("permissions-policy") == "camera=(), microphone=(), geolocation=()", "\(kind)")
                if kind != "css" && kind != "js" {
                    #expect(r.header("cache-control") == "no-store", "\(kind)")
                    #expect(r.header("pragma") == "no-cache", "\(kind)")
                }
            }
            #expect(answers[4].1.status == 403)
            #expect(answers[7].1.status == 413)
        }

        @Test func aDeskForPageHandlersTalksToHavendAsItsPerson() async throws {
            let harness = try await WebDeskHarness.start()
            defer { Task { await harness.stop() } }
            let demo = try await harness.desk(for: "counsellor", role: "counsellor", agency: "ossc-vientiane")
            #expect(demo.user == "counsellor")
            let fresh = try await harness.desk(for: "web-intake", role: "intake", agency: "ossc-vientiane", language: .lo)
            #expect(fresh.role == "intake")
            #expect(fresh.words("Sign in") == "ເຂົ້າສູ່ລະບົບ")
            let status: SessionResponse = try await fresh.vault.get("/v1/status")
            #expect(status.user == "web-intake")
        }

        @Test func plainHTTPOffLoopbackIsRefusedAndSIGTERMEndsCleanly() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let r = try Command.run(WebDeskHarness.binary, ["serve", "--socket", desk.socketPath, "--listen", "0.0.0.0:\(try LoopbackTCP.freePort())",
                                                            "--keys", desk.keysDir, "--policy", desk.policyDir])
            #expect(r.status == 2)
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(r.stderr.contains("--tls-cert"))
            let broken = try Command.run(WebDeskHarness.binary, ["serve", "--socket", desk.socketPath, "--listen", "127.0.0.1:\(try LoopbackTCP.freePort())",
                                                                 "--keys", desk.keysDir, "--policy", "/nonexistent"])
            #expect(broken.status == 1)
            #expect(broken.stderr.split(separator: "\n").count == 1)
            #expect(desk.stopWeb() == 0)
        }
    }
}
