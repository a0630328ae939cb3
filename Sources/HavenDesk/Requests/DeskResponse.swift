/// What a page handler answers: a page, a redirect after a form, or a small text answer to
/// the desk's own script. The front adds the security headers to every one of them
/// (no-store, CSP, frame and referrer rules): a handler cannot forget them.
public struct DeskResponse: Sendable {
    public enum Body: Sendable {
        case page(HTML)
        /// 303 See Other to a path of the desk's own (never a survivor's data in it).
        case redirect(String)
        /// text/plain; charset=utf-8, for the desk's script (a name shown on request).
        case text(String)
    }

    public let status: Int
    public let body: Body

    public init(status: Int, body: Body) {
        self.status = status
        self.body = body
    }

    public static func page(_ html: HTML, status: Int = 200) -> DeskResponse {
        DeskResponse(status: status, body: .page(html))
    }

    public static func redirect(_ path: String) -> DeskResponse {
        DeskResponse(status: 303, body: .redirect(path))
    }

    public static func text(_ text: String, status: Int = 200) -> DeskResponse {
        DeskResponse(status: status, body: .text(text))
    }
}
