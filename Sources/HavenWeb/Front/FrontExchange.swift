import HavenDesk

/// A request as the front reads it, apart from the web framework: what the checks and the
/// pages need, and no more. The body is already held to its limit.
struct FrontRequest: Sendable {
    let method: String
    let path: String
    let query: String
    /// Header values by lowercased name (the first of a repeated header).
    let headers: [String: String]
    let body: [UInt8]
    /// The client's address, for the sign-in throttle and its log (never a request's content).
    let address: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    var cookies: [String: String] { SessionCookie.parse(header("cookie")) }
}

/// An answer before the security headers: the front adds them to every one.
struct FrontAnswer: Sendable {
    var status: Int
    var contentType: String?
    var body: [UInt8]
    var headers: [(String, String)] = []
    /// Static files only: they hold no data, so the browser may keep them.
    var cacheable = false

    static func page(_ html: HTML, status: Int = 200) -> FrontAnswer {
        FrontAnswer(status: status, contentType: "text/html; charset=utf-8", body: Array(html.raw.utf8))
    }

    static func text(_ text: String, status: Int) -> FrontAnswer {
        FrontAnswer(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    /// 303 to a path of the desk's own; anything else (another host, `//host`) goes to `/`.
    static func redirect(_ path: String) -> FrontAnswer {
        let safe = path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") ? path : "/"
        return FrontAnswer(status: 303, contentType: nil, body: [], headers: [("Location", safe)])
    }

    static let noContent = FrontAnswer(status: 204, contentType: nil, body: [])

    func with(_ name: String, _ value: String) -> FrontAnswer {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }
}
