import Foundation
import HavenAPI
import HavenClient
import HavenCrypto

/// A person of the web desk made as one is in use: invited with `haven-web invite`, the
/// invitation redeemed over HTTP with a passphrase, the public key it shows enrolled by the
/// administrator over havend's socket, then signed in over HTTP. Only HTTP and the
/// binaries' interfaces are used: nothing of haven-web's insides.
struct WebPerson {
    let name: String
    /// `name=value; …` of every cookie the desk set, as a browser sends them back.
    let cookie: String

    static func make(_ name: String, role: String, agency: String, web: WebProcess, socket: String, admin: SigningKey) async throws -> WebPerson {
        let passphrase = "bench passphrase of \(name), long enough"
        let connection = try WebConnection(port: web.port)
        var jar = CookieJar()

        let invitation = try web.invite(name)
        let welcome = try jar.exchange(connection, "GET", invitation)
        guard welcome.status == 200 else { throw BenchFailure("GET the invitation answered \(welcome.status)") }
        var redeemed = try jar.exchange(connection, "POST", invitation,
                                        form: [("_csrf", try csrf(welcome.text, "the invitation page")), ("passphrase", passphrase),
                                               ("confirm", passphrase)])
        if redeemed.status == 303, let location = redeemed.header("location") {
            redeemed = try jar.exchange(connection, "GET", path(location, web))
        }
        guard redeemed.status == 200, let shown = element("code", id: "public-key", in: redeemed.text) else {
            throw BenchFailure("redeeming the invitation answered \(redeemed.status) without code#public-key: \(redeemed.text.prefix(300))")
        }
        let key = try (try? KeyFiles.parsePublic(shown)) ?? KeyFiles.parsePublic("haven-ed25519-public-v1:" + shown)

        let client = try await HavenClient.connect(socketPath: socket, key: admin)
        do {
            let _: UserSummary = try await client.post("/v1/users", AddUserRequest(name: name, role: role, agency: agency,
                                                                                  publicKey: KeyFileFormat.encodePublic(key), uid: nil))
        } catch {
            await client.close()
            throw error
        }
        await client.close()

        let form = try jar.exchange(connection, "GET", "/sign-in")
        guard form.status == 200 else { throw BenchFailure("GET /sign-in answered \(form.status)") }
        let signedIn = try jar.exchange(connection, "POST", "/sign-in",
                                        form: [("_csrf", try csrf(form.text, "the sign-in page")), ("name", name), ("passphrase", passphrase)])
        guard signedIn.status == 303 else { throw BenchFailure("signing in answered \(signedIn.status): \(signedIn.text.prefix(300))") }
        return WebPerson(name: name, cookie: jar.header)
    }

    /// The CSRF token of a page's form (the hidden `_csrf` input), or its `<body data-csrf>`.
    static func csrf(_ html: String, _ what: String) throws -> String {
        for pattern in [#"name="_csrf"[^>]*value="([^"]*)""#, #"value="([^"]*)"[^>]*name="_csrf""#, #"data-csrf="([^"]+)""#] {
            let regex = try NSRegularExpression(pattern: pattern)
            if let m = regex.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)), let r = Range(m.range(at: 1), in: html) {
                return String(html[r])
            }
        }
        throw BenchFailure("no CSRF token in \(what)")
    }

    /// The text of `<tag id="id">…</tag>`, entities of HTML's five undone.
    static func element(_ tag: String, id: String, in html: String) -> String? {
        guard let open = html.range(of: "<\(tag)[^>]*id=\"\(id)\"[^>]*>", options: .regularExpression),
              let close = html.range(of: "</\(tag)>", range: open.upperBound..<html.endIndex) else { return nil }
        return String(html[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func path(_ location: String, _ web: WebProcess) -> String {
        location.hasPrefix(web.baseURL) ? String(location.dropFirst(web.baseURL.count)) : location
    }
}

/// The cookies a desk set, kept and sent back as a browser would on this one origin.
struct CookieJar {
    private var cookies: [(String, String)] = []

    var header: String { cookies.map { "\($0.0)=\($0.1)" }.joined(separator: "; ") }

    mutating func exchange(_ c: WebConnection, _ method: String, _ path: String, form: [(String, String)]? = nil) throws -> WebConnection.Answer {
        let answer = try c.exchange(c.request(method, path, cookie: cookies.isEmpty ? nil : header, form: form), keepBody: true)
        for (name, value) in answer.headers where name == "set-cookie" {
            let pair = value.split(separator: ";", maxSplits: 1).first ?? ""
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let key = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
            let content = String(pair[pair.index(after: eq)...])
            cookies.removeAll { $0.0 == key }
            // An expired or emptied cookie is one the desk took back.
            if !content.isEmpty && !value.lowercased().contains("max-age=0") { cookies.append((key, content)) }
        }
        return answer
    }
}
