/// The checks on where a request came from: the `Host` it names (DNS rebinding) and, for
/// a POST, the page that sent it (`Origin`, `Sec-Fetch-Site`).
struct RequestOrigin: Sendable {
    /// `host:port` authorities the desk answers to (lowercased): its --listen address and
    /// its --url's.
    let allowedHosts: Set<String>
    /// `scheme://host:port` origins of the desk's own pages.
    let ownOrigins: Set<String>

    init(listenHost: String, port: Int, scheme: String, publicURL: String?) {
        var hosts: Set<String> = []
        var origins: Set<String> = []
        func add(host: String, port: Int, scheme: String) {
            let h = host.lowercased()
            let shown = h.contains(":") && !h.hasPrefix("[") ? "[\(h)]" : h
            hosts.insert("\(shown):\(port)")
            if port == (scheme == "https" ? 443 : 80) { hosts.insert(shown) }
            origins.insert(port == (scheme == "https" ? 443 : 80) ? "\(scheme)://\(shown)" : "\(scheme)://\(shown):\(port)")
        }
        add(host: listenHost, port: port, scheme: scheme)
        if let url = publicURL, let parsed = Self.authority(of: url) {
            add(host: parsed.host, port: parsed.port, scheme: parsed.scheme)
        }
        allowedHosts = hosts
        ownOrigins = origins
    }

    /// Whether a request's `Host` header names the desk (anything else is a DNS-rebinding
    /// page's request, or a misdirected one).
    func allows(host: String?) -> Bool {
        guard let host else { return false }
        return allowedHosts.contains(host.lowercased())
    }

    /// Whether a POST came from one of the desk's own pages: a missing `Origin` is refused
    /// (every browser the desk supports sends it on a POST), and so is a browser's own
    /// word that the request is cross-site.
    ///
    /// `Origin: null` is what a browser sends on a POST from a page whose Referrer-Policy is
    /// `no-referrer` — the desk's own pages. It is accepted only with the browser's own
    /// `Sec-Fetch-Site: same-origin`, which no page can set; a page of another site that
    /// also hides its origin is `cross-site` there, and a browser too old to say is refused.
    func allowsPost(origin: String?, fetchSite: String?) -> Bool {
        let site = fetchSite?.lowercased()
        if site == "cross-site" || site == "same-site" { return false }
        guard let origin = origin?.lowercased() else { return false }
        if origin == "null" { return site == "same-origin" }
        return ownOrigins.contains(origin)
    }

    /// Scheme, host and port of a base URL such as `https://desk.example.org:8443/`.
    static func authority(of url: String) -> (scheme: String, host: String, port: Int)? {
        guard let range = url.range(of: "://") else { return nil }
        let scheme = url[..<range.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[range.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = String(authority), port = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { guard let p = Int(after.dropFirst()) else { return nil }; port = p }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        }
        return (scheme, host, port)
    }
}
