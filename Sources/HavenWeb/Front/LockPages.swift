import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenDesk

/// The lock: the lock screen, locking (button, gesture, idle) and unlocking.
extension DeskFront {
    func lockedPage(_ request: FrontRequest, session: SessionState?, message: String? = nil, status: Int = 200) -> FrontAnswer {
        guard let session else { return .redirect("/sign-in") }
        guard session.isLocked else { return .redirect("/records") }
        let w = words(request, session: session)
        let frame = self.frame(request, title: w("Locked"), session: session)
        return .page(Layout.page(frame, body: FrontViews.locked(frame, name: session.name, message: message)), status: status)
    }

    /// Locks at once: the key wiped, havend's session closed, a new cookie. Posted by the
    /// lock button, and by the script (Shift three times, idle) with `X-CSRF-Token`.
    func lock(_ request: FrontRequest, form: FormBody, cookie: String?, session: SessionState?) async -> FrontAnswer {
        guard let session, let cookie else { return .redirect("/sign-in") }
        guard CSRFToken.matches(form.value("_csrf") ?? request.header("x-csrf-token"), session.csrfToken) else { return refusedForm(request) }
        guard !session.isLocked else { return .redirect("/locked") }
        guard let locked = await sessions.lock(cookie: cookie) else { return .redirect("/sign-in") }
        logger.info("locked", metadata: ["name": "\(session.name)"])
        return FrontAnswer.redirect("/locked").with("Set-Cookie", SessionCookie.setSession(locked.cookie))
    }

    /// Unlocks with the passphrase (throttled like a sign-in): the key opened again, a new
    /// havend session, a new cookie and form token.
    func unlock(_ request: FrontRequest, form: FormBody, cookie: String?, session: SessionState?) async -> FrontAnswer {
        guard let session, let cookie else { return .redirect("/sign-in") }
        guard CSRFToken.matches(form.value("_csrf"), session.csrfToken) else { return refusedForm(request) }
        guard session.isLocked else { return .redirect("/records") }
        let w = words(request, session: session)
        guard let passphrase = PeopleDirectory.passphrase(typed: form.value("passphrase") ?? "") else {
            return lockedPage(request, session: session, message: w("Enter your passphrase."), status: 400)
        }
        let name = session.name
        // Counted per session, before the key work, not per name: holding the locked
        // session's cookie already proves a sign-in, so strangers failing in her name never
        // keep her out; after a few failures the session is dropped and she signs in again.
        guard await sessions.beginUnlock(cookie: cookie) else {
            logger.notice("unlock failures: session dropped", metadata: ["name": "\(name)", "address": "\(request.address)"])
            return FrontAnswer.redirect("/sign-in").with("Set-Cookie", SessionCookie.expireSession())
        }
        let people = self.people
        let key: SigningKey
        do {
            key = try await keyWork.run { () throws(HavenError) -> SigningKey in try people.open(name: name, passphrase: passphrase) }
        } catch {
            if error.code == .busy {
                await sessions.uncountUnlock(cookie: cookie)
                return busyPage(request, session: session)
            }
            logger.notice("unlock failed", metadata: ["name": "\(name)", "address": "\(request.address)"])
            return lockedPage(request, session: session, message: w("The passphrase is not right."), status: 401)
        }
        let client: HavenClient, havend: SessionResponse
        switch await openHavend(request, name: name, key: key) {
        case .success(let opened): (client, havend) = opened
        case .failure(let refused): return refused.answer
        }
        let vault = PersonVault(client: client, socketPath: configuration.socketPath, key: key)
        guard let unlocked = await sessions.unlock(cookie: cookie, key: key, vault: vault, havend: havend, now: Date()) else {
            await vault.close()
            return .redirect("/sign-in")
        }
        logger.info("unlocked", metadata: ["name": "\(name)"])
        return FrontAnswer.redirect("/records").with("Set-Cookie", SessionCookie.setSession(unlocked.cookie))
    }
}
