import Foundation
import HavenCore
import HavenDesk
import Logging

/// The desk's request pipeline, in the order a request meets it: the Host it names, where
/// a POST came from (Origin, Sec-Fetch-Site), its session and idle clock, its form token,
/// and only then a page. Every answer leaves with the security headers (DeskServer).
public final class DeskFront: Sendable {
    let configuration: FrontConfiguration
    let origin: RequestOrigin
    let sessions: SessionStore
    let people: PeopleDirectory
    let routes: DeskRoutes
    let keyWork = KeyOpening()
    let throttle = ThrottleBook()
    let logger: Logger
    let statics: StaticFiles

    public init(configuration: FrontConfiguration, logger: Logger, sessionCapacity: Int = 256) throws(HavenError) {
        self.configuration = configuration
        origin = RequestOrigin(listenHost: configuration.listen.host, port: configuration.listen.port, scheme: configuration.scheme,
                               publicURL: configuration.publicURL)
        sessions = SessionStore(capacity: sessionCapacity)
        people = try PeopleDirectory(path: configuration.keysDirectory)
        routes = DeskPages.routes()
        self.logger = logger
        statics = StaticFiles(fontDirectory: configuration.fontDirectory)
    }

    /// A locked session nobody came back to is forgotten after this long.
    static let lockedLifetime: TimeInterval = 12 * 3600

    /// How long past the idle lock the sweep waits before it signs a session out: an open
    /// page's script locks it at the lock time (the person then unlocks rather than signs in
    /// again), and the sweep wipes the key of a page that was closed.
    static let sweepGrace: TimeInterval = 60

    /// The idle sweep, run every half minute while the desk serves.
    func sweep() async {
        await sessions.sweep(now: Date(), idleLock: TimeInterval(configuration.idleLockSeconds) + Self.sweepGrace,
                             lockedLifetime: Self.lockedLifetime)
    }

    /// Forgets every session and wipes every key (shutdown).
    public func closeAll() async {
        await sessions.closeAll()
    }

    /// The whole pipeline for one request whose Host was allowed and body read.
    func answer(_ request: FrontRequest) async -> FrontAnswer {
        if request.method == "GET" || request.method == "HEAD", request.path.hasPrefix("/static/") {
            return statics.answer(request.path)
        }
        var form = FormBody()
        if request.method == "POST" {
            guard origin.allowsPost(origin: request.header("origin"), fetchSite: request.header("sec-fetch-site")) else {
                return refusedForm(request)
            }
            guard let parsed = FormBody(contentType: request.header("content-type"), body: request.body) else {
                return frontPage(request, title: words(request)("This form could not be read"), status: 400,
                                 body: FrontViews.message(words(request)("Go back, and send the form again.")))
            }
            form = parsed
        } else if request.method != "GET" && request.method != "HEAD" {
            return .text("Method not allowed\n", status: 405).with("Allow", "GET, POST")
        }
        let cookie = request.cookies[SessionCookie.session]
        var renewed: String?
        var session: SessionState?
        if let cookie, let touched = await sessions.touch(cookie: cookie, now: Date(), idleLock: TimeInterval(configuration.idleLockSeconds)) {
            session = touched.state
            renewed = touched.newCookie
        }
        if let renewed {
            // The idle clock locked the session on this request: whatever it asked, it gets
            // the lock screen, and the old cookie is dead. A sign-out still signs out (she
            // must not walk away leaving her name on a lock screen), and the script's /touch
            // learns it is locked.
            if request.method == "POST" && request.path == "/sign-out" {
                await sessions.close(cookie: renewed)
                logger.info("signed out", metadata: ["name": "\(session?.name ?? "")"])
                return Self.signedOut()
            }
            if request.method == "POST" && request.path == "/touch" {
                return FrontAnswer.text("locked\n", status: 409).with("Set-Cookie", SessionCookie.setSession(renewed))
            }
            return FrontAnswer.redirect("/locked").with("Set-Cookie", SessionCookie.setSession(renewed))
        }
        return await route(request, form: form, cookie: cookie, session: session)
    }

    /// The front's own pages first, then the signed-in pages.
    func route(_ request: FrontRequest, form: FormBody, cookie: String?, session: SessionState?) async -> FrontAnswer {
        let get = request.method == "GET" || request.method == "HEAD"
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (get, request.path) {
        case (true, "/"): return .redirect(session == nil ? "/sign-in" : session!.isLocked ? "/locked" : "/records")
        case (true, "/sign-in"): return signInPage(request, session: session)
        case (false, "/sign-in"): return await signIn(request, form: form, session: session)
        case (true, "/locked"): return lockedPage(request, session: session)
        case (false, "/unlock"): return await unlock(request, form: form, cookie: cookie, session: session)
        case (false, "/lock"): return await lock(request, form: form, cookie: cookie, session: session)
        case (false, "/sign-out"): return await signOut(request, form: form, cookie: cookie, session: session)
        case (false, "/language"): return await language(request, form: form, cookie: cookie, session: session)
        case (false, "/touch"):
            // Missing or locked is told before the token check: it changes nothing, and a page
            // drawn before the lock holds a token that is no longer good.
            guard let session, !session.isLocked else { return .text("locked\n", status: 409) }
            guard CSRFToken.matches(request.header("x-csrf-token") ?? form.value("_csrf"), session.csrfToken) else {
                return refusedForm(request)
            }
            return .noContent
        default: break
        }
        if parts.count == 2, parts.first == "invite" {
            let token = String(parts.last!)
            return get ? invitationPage(request, token: token) : await redeem(request, token: token, form: form)
        }
        return await deskPage(request, form: form, session: session)
    }

    /// A signed-in page from the routes table.
    func deskPage(_ request: FrontRequest, form: FormBody, session: SessionState?) async -> FrontAnswer {
        guard let session else { return .redirect("/sign-in") }
        guard !session.isLocked, let vault = session.vault, let havend = session.havend else { return .redirect("/locked") }
        let method: DeskRequest.Method = request.method == "POST" ? .post : .get
        if method == .post {
            guard CSRFToken.matches(form.value("_csrf") ?? request.header("x-csrf-token"), session.csrfToken) else {
                return refusedForm(request)
            }
        }
        guard let matched = routes.match(method, request.path) else {
            let w = Words(language: session.language, catalog: configuration.catalog)
            return .page(Layout.page(frame(request, title: w("Not found"), session: session),
                                     body: FrontViews.message(w("There is no such page at this desk."), then: ("/records", w("Go to the records")))),
                         status: 404)
        }
        let fields = form.pageFields
        let deskRequest = DeskRequest(method: method, path: request.path, parameters: matched.parameters, query: Self.query(request.query),
                                      form: fields.form, formLists: fields.lists, files: form.files)
        let desk = Desk(user: havend.user, role: havend.role, agency: havend.agency,
                        words: Words(language: session.language, catalog: configuration.catalog), csrfToken: session.csrfToken,
                        policy: configuration.policy, vault: vault, idleWarningSeconds: configuration.idleWarningSeconds,
                        idleLockSeconds: configuration.idleLockSeconds)
        let response = await matched.handler(deskRequest, desk)
        switch response.body {
        case .page(let html): return .page(html, status: response.status)
        case .redirect(let path): return .redirect(path)
        case .text(let text): return .text(text, status: response.status)
        }
    }

    /// 403: a POST without the desk's Origin or form token. Nothing was changed.
    func refusedForm(_ request: FrontRequest) -> FrontAnswer {
        let w = words(request)
        logger.notice("form refused", metadata: ["method": "\(request.method)", "route": "\(routePattern(request))"])
        return frontPage(request, title: w("This form did not come from this desk"), status: 403,
                         body: FrontViews.message(w("Nothing was changed. Open the page again from the desk's own menu and send the form from there."),
                                                  then: ("/", w("Go to the desk"))))
    }

    /// The words of a request without a signed-in session: its `haven-lang` cookie, else
    /// the browser's languages.
    func words(_ request: FrontRequest, session: SessionState? = nil) -> Words {
        let language = session?.language ?? request.cookies[SessionCookie.language].flatMap(Language.init(rawValue:))
            ?? Language.preferred(acceptLanguage: request.header("accept-language"))
        return Words(language: language, catalog: configuration.catalog)
    }

    /// The frame of a front page (no one signed in).
    func frame(_ request: FrontRequest, title: String, session: SessionState? = nil, csrfToken: String? = nil) -> PageFrame {
        let w = words(request, session: session)
        let person = session.flatMap { s in s.havend.map { (user: $0.user, role: $0.role, agency: $0.agency) } }
        return PageFrame(title: title, section: .none, words: w, person: session?.isLocked == false ? person : nil,
                         csrfToken: csrfToken ?? session?.csrfToken, idleWarningSeconds: configuration.idleWarningSeconds,
                         idleLockSeconds: configuration.idleLockSeconds)
    }

    func frontPage(_ request: FrontRequest, title: String, status: Int, body: HTML) -> FrontAnswer {
        .page(Layout.page(frame(request, title: title), body: body), status: status)
    }

    /// The route a request matched, for the log: a pattern, never the ids in the path.
    func routePattern(_ request: FrontRequest) -> String {
        let fixed: Set<String> = ["/", "/sign-in", "/locked", "/unlock", "/lock", "/sign-out", "/language", "/touch"]
        if fixed.contains(request.path) { return request.path }
        if request.path.hasPrefix("/invite/") { return "/invite/:token" }
        if request.path.hasPrefix("/static/") { return request.path.hasPrefix("/static/fonts/") ? "/static/fonts/:file" : request.path }
        let method: DeskRequest.Method = request.method == "POST" ? .post : .get
        return routes.pattern(method, request.path) ?? "(no route)"
    }

    static func query(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in (try? URLEncodedForm.parse(text)) ?? [] where out[name] == nil { out[name] = value }
        return out
    }
}

/// The sign-in throttle behind an actor.
actor ThrottleBook {
    private var book = SignInThrottle()

    func retryAfter(_ keys: [String]) -> Date? { book.retryAfter(keys, now: Date()) }
    /// Checks the wait and counts the attempt as a failure in one step, before any key work:
    /// attempts sent in parallel cannot all pass the check before the first one fails.
    /// A success then clears the name's count.
    func begin(_ keys: [String]) -> Date? {
        let now = Date()
        if let until = book.retryAfter(keys, now: now) { return until }
        book.failed(keys, now: now)
        return nil
    }
    func failed(_ keys: [String]) { book.failed(keys, now: Date()) }
    func succeeded(name: String) { book.succeeded(name: name) }
    /// Takes back the attempt `begin` counted, when it did not fail (success, or busy).
    func uncount(_ keys: [String]) { book.uncount(keys) }
}
