import Foundation
import HavenAPI
import HavenCrypto
import HavenDesk

/// Every session of the desk, by the digest of its cookie. A cookie is good for one state
/// only: signing in, locking and unlocking each issue a new one and forget the old, so a
/// cookie copied before a lock or a sign-out opens nothing.
actor SessionStore {
    /// At most this many sessions at once (signed in or locked): the desk serves a centre,
    /// not the Internet, and each unlocked one holds a key and a havend connection.
    let capacity: Int
    private var sessions: [String: SessionState] = [:]

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// At most this many sessions of one person: the oldest goes when she signs in again, so
    /// one name signing in over and over cannot fill the desk for everyone.
    static let perPerson = 4

    /// A new unlocked session; nil when the desk holds as many as it may.
    func open(name: String, language: Language, key: SigningKey, vault: PersonVault, havend: SessionResponse,
              now: Date) async -> (cookie: String, csrfToken: String)? {
        let hers = sessions.filter { $0.value.name == name }.sorted { $0.value.lastActivity < $1.value.lastActivity }
        var closing: [PersonVault] = []
        for (digest, state) in hers.prefix(max(0, hers.count - Self.perPerson + 1)) {
            sessions[digest] = nil
            if let vault = state.vault { closing.append(vault) }
        }
        for old in closing { await old.close() }
        guard sessions.count < capacity else { return nil }
        let cookie = CSRFToken.random()
        let state = SessionState(name: name, language: language, key: key, vault: vault, havend: havend,
                                 csrfToken: CSRFToken.random(), lastActivity: now)
        sessions[SessionCookie.digest(cookie)] = state
        return (cookie, state.csrfToken)
    }

    /// The session of a cookie, its activity not yet counted.
    func session(cookie: String?) -> SessionState? {
        guard let cookie, !cookie.isEmpty else { return nil }
        return sessions[SessionCookie.digest(cookie)]
    }

    /// Counts a request as activity, unless the session has been idle too long: then it is
    /// locked instead (and its new cookie returned), so an unattended desk locks on the
    /// next request even if its script never ran.
    func touch(cookie: String, now: Date, idleLock: TimeInterval) async -> (state: SessionState, newCookie: String?)? {
        let digest = SessionCookie.digest(cookie)
        guard var state = sessions[digest] else { return nil }
        if !state.isLocked && now.timeIntervalSince(state.lastActivity) >= idleLock {
            guard let locked = await lock(cookie: cookie) else { return nil }
            return (locked.state, locked.cookie)
        }
        state.lastActivity = now
        sessions[digest] = state
        return (state, nil)
    }

    /// Locks a session: its key wiped, its havend session closed, a new cookie and form token.
    func lock(cookie: String) async -> (cookie: String, state: SessionState)? {
        let digest = SessionCookie.digest(cookie)
        guard var state = sessions.removeValue(forKey: digest) else { return nil }
        let vault = state.lock()
        let newCookie = CSRFToken.random()
        sessions[SessionCookie.digest(newCookie)] = state
        await vault?.close()
        return (newCookie, state)
    }

    /// Unlock attempts a locked session gets before it is dropped (a full sign-in then).
    static let unlockAttempts = 5

    /// Counts an unlock attempt of a locked session; false (and the session dropped) when it
    /// has had its share.
    func beginUnlock(cookie: String) -> Bool {
        let digest = SessionCookie.digest(cookie)
        guard var state = sessions[digest], state.isLocked else { return false }
        guard state.unlockAttempts < Self.unlockAttempts else {
            sessions[digest] = nil
            return false
        }
        state.unlockAttempts += 1
        sessions[digest] = state
        return true
    }

    /// Takes back an unlock attempt that was never tried (the key work was busy).
    func uncountUnlock(cookie: String) {
        let digest = SessionCookie.digest(cookie)
        if let attempts = sessions[digest]?.unlockAttempts, attempts > 0 { sessions[digest]?.unlockAttempts = attempts - 1 }
    }

    /// Unlocks a locked session with the person's key and a new havend session.
    func unlock(cookie: String, key: SigningKey, vault: PersonVault, havend: SessionResponse, now: Date) -> (cookie: String, csrfToken: String)? {
        let digest = SessionCookie.digest(cookie)
        guard var state = sessions[digest], state.isLocked else { return nil }
        sessions[digest] = nil
        state.key = key
        state.vault = vault
        state.havend = havend
        state.csrfToken = CSRFToken.random()
        state.lastActivity = now
        state.unlockAttempts = 0
        let newCookie = CSRFToken.random()
        sessions[SessionCookie.digest(newCookie)] = state
        return (newCookie, state.csrfToken)
    }

    /// Forgets a session (sign-out), closing its havend session.
    func close(cookie: String) async {
        guard let state = sessions.removeValue(forKey: SessionCookie.digest(cookie)) else { return }
        await state.vault?.close()
    }

    func setLanguage(_ language: Language, cookie: String) {
        let digest = SessionCookie.digest(cookie)
        sessions[digest]?.language = language
    }

    /// Forgets every unlocked session idle for `idleLock` (its key wiped at once rather than
    /// at its next request, which may never come) and every locked session nobody has come
    /// back to within `lockedLifetime`. The sweep issues no new cookie, so it cannot lock in
    /// place: a lock the browser never heard of would leave the old cookie good for the lock
    /// screen. It signs out instead, and the old cookie is sent to /sign-in.
    func sweep(now: Date, idleLock: TimeInterval, lockedLifetime: TimeInterval) async {
        var closing: [PersonVault] = []
        for (digest, state) in sessions {
            let idle = now.timeIntervalSince(state.lastActivity)
            if state.isLocked {
                if idle >= lockedLifetime { sessions[digest] = nil }
            } else if idle >= idleLock {
                sessions[digest] = nil
                if let vault = state.vault { closing.append(vault) }
            }
        }
        for vault in closing { await vault.close() }
    }

    /// Forgets every session and wipes every key (shutdown).
    func closeAll() async {
        let all = sessions.values
        sessions = [:]
        for state in all { await state.vault?.close() }
    }

    var count: Int { sessions.count }
}
