import Foundation
import HavenAPI
import HavenCrypto
import HavenDesk

/// One person's session at the desk. Unlocked, it holds their signing key (guarded
/// memory) and their own havend session; locked, only their name and language, so the
/// unlock form can greet them and nothing else of theirs is in memory.
struct SessionState: Sendable {
    let name: String
    var language: Language
    /// The person's key and havend session; nil while locked.
    var key: SigningKey?
    var vault: PersonVault?
    var havend: SessionResponse?
    var csrfToken: String
    var lastActivity: Date
    /// Unlock attempts since the last unlock (counted before the key work).
    var unlockAttempts = 0

    var isLocked: Bool { key == nil }

    /// Drops the key and the havend session, keeping the name and language. The key's
    /// guarded memory is wiped when the last reference goes (sodium_free).
    mutating func lock() -> PersonVault? {
        let vault = self.vault
        key = nil
        self.vault = nil
        havend = nil
        csrfToken = CSRFToken.random()
        return vault
    }
}
