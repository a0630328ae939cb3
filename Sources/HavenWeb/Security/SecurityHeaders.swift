import HTTPTypes

/// The headers on every answer of the desk — pages, redirects, refusals, static files —
/// added in one place so that no handler can forget them.
enum SecurityHeaders {
    /// Only the desk's own script, style sheet, images and fonts; the script may ask only
    /// the desk (lock, idle clock, a name on request); forms post only to the desk; no page
    /// may be framed (clickjacking) and no `<base>` may move relative links.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The headers, with `cacheable` only for the static files (they hold no data, and
    /// a browser may keep them).
    static func apply(to headers: inout HTTPFields, cacheable: Bool = false) {
        headers[.cacheControl] = cacheable ? "public, max-age=3600" : "no-store"
        if !cacheable { headers[name("Pragma")] = "no-cache" }
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[name("X-Frame-Options")] = "DENY"
        headers[name("Referrer-Policy")] = "no-referrer"
        headers[name("X-Content-Type-Options")] = "nosniff"
        headers[name("Cross-Origin-Opener-Policy")] = "same-origin"
        headers[name("Cross-Origin-Resource-Policy")] = "same-origin"
        headers[name("Permissions-Policy")] = "camera=(), microphone=(), geolocation=()"
    }

    static func name(_ text: String) -> HTTPField.Name {
        HTTPField.Name(text)!
    }
}
