import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenDesk

/// Sign-in, sign-out and the language choice.
extension DeskFront {
    func signInPage(_ request: FrontRequest, session: SessionState?, name: String? = nil, message: String? = nil,
                    status: Int = 200) -> FrontAnswer {
        if let session { return .redirect(session.isLocked ? "/locked" : "/records") }
        let (token, setCookie) = formToken(request)
        let w = words(request)
        var answer = FrontAnswer.page(Layout.page(frame(request, title: w("Sign in"), csrfToken: token),
                                                  body: FrontViews.signIn(frame(request, title: "", csrfToken: token), name: name, message: message)),
                                      status: status)
        if let setCookie { answer = answer.with("Set-Cookie", setCookie) }
        return answer
    }

    /// The form token of a page before sign-in: the browser's `__Host-haven-form` cookie,
    /// or a new one (and its Set-Cookie).
    func formToken(_ request: FrontRequest) -> (String, String?) {
        if let token = request.cookies[SessionCookie.form], token.count == 43 { return (token, nil) }
        let token = CSRFToken.random()
        return (token, SessionCookie.setForm(token))
    }

    func signIn(_ request: FrontRequest, form: FormBody, session: SessionState?) async -> FrontAnswer {
        guard CSRFToken.matches(form.value("_csrf"), request.cookies[SessionCookie.form]) else { return refusedForm(request) }
        let w = words(request)
        let name = (form.value("name") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, let passphrase = PeopleDirectory.passphrase(typed: form.value("passphrase") ?? "") else {
            return signInPage(request, session: nil, name: name, message: w("Enter your name and your passphrase."), status: 400)
        }
        let keys = ["name:" + name, "address:" + request.address]
        if let until = await throttle.begin(keys) {
            return signInPage(request, session: nil, name: name, message: Self.retryWords(w, until: until), status: 429)
        }
        let people = self.people
        let key: SigningKey
        do {
            key = try await keyWork.run { () throws(HavenError) -> SigningKey in try people.open(name: name, passphrase: passphrase) }
        } catch {
            if error.code == .busy {
                await throttle.uncount(keys)
                return busyPage(request)
            }
            logger.notice("sign-in failed", metadata: ["name": "\(name)", "address": "\(request.address)"])
            return signInPage(request, session: nil, name: name, message: w("The name or the passphrase is not right."), status: 401)
        }
        await throttle.uncount(keys)
        await throttle.succeeded(name: keys[0])
        let client: HavenClient, havend: SessionResponse
        switch await openHavend(request, name: name, key: key) {
        case .success(let opened): (client, havend) = opened
        case .failure(let refused): return refused.answer
        }
        // A sign-in over a session of this browser ends that one first (its key wiped).
        if let cookie = request.cookies[SessionCookie.session] { await sessions.close(cookie: cookie) }
        let language = people.language(of: name) ?? w.language
        let vault = PersonVault(client: client, socketPath: configuration.socketPath, key: key)
        guard let opened = await sessions.open(name: name, language: language, key: key, vault: vault, havend: havend, now: Date()) else {
            await vault.close()
            return frontPage(request, title: w("The desk is full"), status: 503,
                             body: FrontViews.message(w("Too many people are signed in at this desk. Try again in a few minutes.")))
        }
        logger.info("signed in", metadata: ["name": "\(name)"])
        return FrontAnswer.redirect("/records").with("Set-Cookie", SessionCookie.setSession(opened.cookie))
    }

    /// The person's own havend session; a key havend does not know (not yet enrolled, or
    /// revoked) gets the page that says so and what the administrator must run.
    func openHavend(_ request: FrontRequest, name: String, key: SigningKey) async -> Result<(HavenClient, SessionResponse), FrontAnswerBox> {
        let w = words(request)
        do {
            let client = try await HavenClient.connect(socketPath: configuration.socketPath, key: key)
            guard let havend = client.session else {
                await client.close()
                return .failure(FrontAnswerBox(.redirect("/sign-in")))
            }
            // Fail closed: under another policy the desk would show fields under the wrong
            // labels, choices with the wrong words, and offer forms by the wrong rules.
            guard havend.policyVersion == configuration.policy.version else {
                await client.close()
                logger.error("policy mismatch: restart haven-web with havend's policy directory",
                             metadata: ["desk": "\(configuration.policy.shortVersion)", "vault": "\(havend.policyVersion.prefix(16))"])
                let body = FrontViews.message(w("This desk was started with another policy than the vault's. Ask the operator to restart haven-web with the vault's policy directory."))
                return .failure(FrontAnswerBox(.page(Layout.page(frame(request, title: w("The desk cannot open the vault")), body: body), status: 503)))
            }
            return .success((client, havend))
        } catch {
            switch error.code {
            case .authenticationFailed, .unauthenticated, .denied, .lockedOut:
                logger.notice("sign-in key not accepted by havend", metadata: ["name": "\(name)", "code": "\(error.code.rawValue)"])
                let publicKey = Self.publicKeyLine(key.publicKey)
                let body = FrontViews.enrolment(frame(request, title: ""), name: name, publicKey: publicKey,
                                                intro: w("Your passphrase is right, but the vault does not accept your key: it is not enrolled yet, or it was revoked."))
                    + RefusalView.render(error, words: w)
                return .failure(FrontAnswerBox(.page(Layout.page(frame(request, title: w("Your key is not enrolled")), body: body), status: 403)))
            default:
                let body = RefusalView.render(error, words: w)
                return .failure(FrontAnswerBox(.page(Layout.page(frame(request, title: w("The vault cannot answer right now")), body: body),
                                                     status: RefusalView.status(for: error.code))))
            }
        }
    }

    func signOut(_ request: FrontRequest, form: FormBody, cookie: String?, session: SessionState?) async -> FrontAnswer {
        // No session left (the sweep signed it out): the browser is still told to forget it.
        guard let session, let cookie else { return Self.signedOut() }
        guard CSRFToken.matches(form.value("_csrf"), session.csrfToken) else { return refusedForm(request) }
        await sessions.close(cookie: cookie)
        logger.info("signed out", metadata: ["name": "\(session.name)"])
        return Self.signedOut()
    }

    /// The answer to a sign-out: the cookie expired and the browser told to clear the site.
    static func signedOut() -> FrontAnswer {
        FrontAnswer.redirect("/sign-in")
            .with("Set-Cookie", SessionCookie.expireSession())
            .with("Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"")
    }

    func language(_ request: FrontRequest, form: FormBody, cookie: String?, session: SessionState?) async -> FrontAnswer {
        let expected = session?.csrfToken ?? request.cookies[SessionCookie.form]
        guard CSRFToken.matches(form.value("_csrf"), expected) else { return refusedForm(request) }
        guard let language = form.value("language").flatMap(Language.init(rawValue:)) else { return .redirect("/") }
        if let session, let cookie {
            await sessions.setLanguage(language, cookie: cookie)
            try? people.setLanguage(language, for: session.name)
            return .redirect(session.isLocked ? "/locked" : "/records")
        }
        return FrontAnswer.redirect("/sign-in").with("Set-Cookie", SessionCookie.setLanguage(language.rawValue))
    }

    /// 503: more key openings waiting than the desk lets wait; nothing was tried or counted
    /// against the person.
    func busyPage(_ request: FrontRequest, session: SessionState? = nil) -> FrontAnswer {
        let w = words(request, session: session)
        logger.notice("key work queue full", metadata: ["route": "\(routePattern(request))"])
        return .page(Layout.page(frame(request, title: w("The desk is busy"), session: session),
                                 body: FrontViews.message(w("Too many sign-ins at once. Try again in a moment."))),
                     status: 503)
    }

    static func retryWords(_ w: Words, until: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
        return w("Too many failed attempts. Try again in {minutes} minutes.", ["minutes": String(minutes)])
    }

    /// `haven-ed25519-public-v1:…`, the line of a public key file.
    static func publicKeyLine(_ key: PublicKey) -> String {
        KeyFileFormat.encodePublic(key).split(separator: "\n").last.map(String.init) ?? ""
    }
}

/// An answer carried as a Result's failure.
struct FrontAnswerBox: Error {
    let answer: FrontAnswer
    init(_ answer: FrontAnswer) { self.answer = answer }
}
