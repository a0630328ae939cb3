import Foundation
import HavenDesk
@testable import HavenWeb
import Testing

@Suite struct FrontChecksTests {
    @Test func onlyTheDesksOwnHostIsAnswered() {
        let origin = RequestOrigin(listenHost: "127.0.0.1", port: 8080, scheme: "http", publicURL: "https://desk.example.org/")
        #expect(origin.allows(host: "127.0.0.1:8080"))
        #expect(origin.allows(host: "DESK.example.org"))
        #expect(origin.allows(host: "desk.example.org:443"))
        #expect(!origin.allows(host: "127.0.0.1"))
        #expect(!origin.allows(host: "localhost:8080"))
        #expect(!origin.allows(host: "evil.example"))
        #expect(!origin.allows(host: nil))
        #expect(!origin.allows(host: "desk.example.org.evil.example"))
    }

    @Test func aPostMustComeFromTheDesksOwnOrigin() {
        let origin = RequestOrigin(listenHost: "127.0.0.1", port: 8080, scheme: "http", publicURL: "https://desk.example.org:8443")
        #expect(origin.allowsPost(origin: "http://127.0.0.1:8080", fetchSite: "same-origin"))
        #expect(origin.allowsPost(origin: "https://desk.example.org:8443", fetchSite: nil))
        #expect(!origin.allowsPost(origin: nil, fetchSite: "same-origin"))
        #expect(!origin.allowsPost(origin: "null", fetchSite: nil))
        #expect(!origin.allowsPost(origin: "http://evil.example", fetchSite: nil))
        #expect(!origin.allowsPost(origin: "https://127.0.0.1:8080", fetchSite: nil))
        #expect(!origin.allowsPost(origin: "http://127.0.0.1:8080", fetchSite: "cross-site"))
        #expect(!origin.allowsPost(origin: "http://127.0.0.1:8080", fetchSite: "same-site"))
        // The desk's own pages send Origin: null (Referrer-Policy: no-referrer); only the
        // browser's same-origin word lets that through.
        #expect(origin.allowsPost(origin: "null", fetchSite: "same-origin"))
        #expect(!origin.allowsPost(origin: "null", fetchSite: "cross-site"))
        #expect(!origin.allowsPost(origin: "null", fetchSite: "none"))
    }

    @Test func ipv6ListenAddressesAreBracketed() {
        let origin = RequestOrigin(listenHost: "::1", port: 9000, scheme: "http", publicURL: nil)
        #expect(origin.allows(host: "[::1]:9000"))
        #expect(origin.allowsPost(origin: "http://[::1]:9000", fetchSite: nil))
    }

    @Test func plainHTTPIsForLoopbackOnly() {
        #expect(ListenAddress("127.0.0.1:8080")?.isLoopback == true)
        #expect(ListenAddress("127.10.0.3:1")?.isLoopback == true)
        #expect(ListenAddress("localhost:8080")?.isLoopback == true)
        #expect(ListenAddress("[::1]:8080")?.isLoopback == true)
        #expect(ListenAddress("0.0.0.0:8080")?.isLoopback == false)
        #expect(ListenAddress("192.168.1.5:8080")?.isLoopback == false)
        #expect(ListenAddress("[::]:8080")?.isLoopback == false)
        #expect(ListenAddress("127.0.0.1.evil.example:80")?.isLoopback == false)
        #expect(ListenAddress("127.0.0.1") == nil)
        #expect(ListenAddress("127.0.0.1:99999") == nil)
        #expect(ListenAddress("::1:8080") == nil)
    }

    @Test func formTokensCompareWhole() {
        let token = CSRFToken.random()
        #expect(token.count == 43)
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
        #expect(CSRFToken.matches(token, token))
        #expect(!CSRFToken.matches(String(token.dropLast()), token))
        #expect(!CSRFToken.matches(nil, token))
        #expect(!CSRFToken.matches("", ""))
        #expect(!CSRFToken.matches(token, nil))
        #expect(CSRFToken.random() != CSRFToken.random())
    }

    @Test func theSessionCookieIsHostBoundAndKeptOnlyAsADigest() {
        let set = SessionCookie.setSession("abc")
        #expect(set == "__Host-haven-session=abc; Secure; HttpOnly; SameSite=Strict; Path=/")
        #expect(SessionCookie.expireSession().contains("Max-Age=0"))
        #expect(SessionCookie.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SessionCookie.parse("a=1; __Host-haven-session=xyz; a=2") == ["a": "1", "__Host-haven-session": "xyz"])
    }

    @Test func failedSignInsWaitLongerEachTimeUpToAQuarterHour() {
        var throttle = SignInThrottle()
        let start = Date(timeIntervalSince1970: 1_000_000)
        for _ in 0..<SignInThrottle.free { throttle.failed(["name:ana", "address:1"], now: start) }
        #expect(throttle.retryAfter(["name:ana"], now: start) == start.addingTimeInterval(30))
        #expect(throttle.retryAfter(["address:1"], now: start) != nil)
        #expect(throttle.retryAfter(["name:bo", "address:2"], now: start) == nil)
        #expect(throttle.retryAfter(["name:ana"], now: start.addingTimeInterval(31)) == nil)
        throttle.failed(["name:ana"], now: start)
        #expect(throttle.retryAfter(["name:ana"], now: start) == start.addingTimeInterval(60))
        #expect(SignInThrottle.wait(afterFailures: 4) == 0)
        #expect(SignInThrottle.wait(afterFailures: 100) == 15 * 60)
        throttle.succeeded(name: "name:ana")
        #expect(throttle.retryAfter(["name:ana"], now: start) == nil)
    }

    @Test func aFileIsKeptOnlyAsItsDigest() throws {
        let body = Array("--B\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"report-Ana.pdf\"\r\n\r\nabc\r\n--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nt\r\n--B\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n--B--\r\n".utf8)
        let form = try #require(FormBody(contentType: "multipart/form-data; boundary=B", body: body))
        #expect(form.files["evidence"] == UploadedFile(digest: "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", byteCount: 3))
        #expect(form.files["empty"] == nil)
        #expect(form.pageFields.form.isEmpty)
        #expect(form.value("_csrf") == "t")
        #expect(!"\(form)".contains("report-Ana"))
        #expect(FormBody(contentType: "multipart/form-data; boundary=B", body: Array("junk".utf8)) == nil)
        #expect(FormBody(contentType: "application/x-www-form-urlencoded", body: [0x61, 0x3D, 0xFF]) == nil)
    }

    @Test func redirectsStayOnTheDesk() {
        #expect(FrontAnswer.redirect("/records/1").headers.first?.1 == "/records/1")
        #expect(FrontAnswer.redirect("//evil.example").headers.first?.1 == "/")
        #expect(FrontAnswer.redirect("https://evil.example").headers.first?.1 == "/")
        #expect(FrontAnswer.redirect("/\\evil.example").headers.first?.1 == "/")
    }

    @Test func theLogNamesARoutesPatternNotItsIds() {
        var routes = DeskRoutes()
        routes.get("/records/:id") { _, _ in .text("") }
        routes.get("/records/new") { _, _ in .text("") }
        #expect(routes.pattern(.get, "/records/7f3a") == "/records/:id")
        #expect(routes.pattern(.get, "/records/new") == "/records/new")
        #expect(routes.pattern(.post, "/records/7f3a") == nil)
    }
}
