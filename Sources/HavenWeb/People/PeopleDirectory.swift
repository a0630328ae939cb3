import Glibc
import HavenCore
import HavenCrypto
import HavenDesk

/// The people of one browser desk, over `haven-web --keys DIR`: each person's Ed25519 key
/// sealed under their passphrase (`people/NAME.key`, a `PersonKeySeal`), their language
/// (`people/NAME.lang`), and pending one-time invitations (`invitations/DIGEST.json`).
///
/// The directory is the desk's only store, so it is trusted only as far as its permissions
/// go: it must be the desk's own user's and writable by no one else, or it is refused. What
/// it holds opens nothing without a passphrase: a copy of it gives keys only to whoever
/// guesses a passphrase through Argon2id. No passphrase, token or key is ever in an error's
/// words; an unknown name and a wrong passphrase are one error.
public struct PeopleDirectory: Sendable {
    /// The `--keys` directory.
    public let path: String
    let people: String
    let invitations: String
    let cost: PassphraseSeal.Cost
    let clock: any HavenClock

    /// Opens (creating `people/` and `invitations/`, mode 0700, if absent) the directory at
    /// `path`; refuses one writable by group or others, or owned by another user.
    public init(path: String) throws(HavenError) {
        try self.init(path: path, cost: .moderate, clock: SystemTime())
    }

    /// The directory with given Argon2id costs for the keys it seals (`.minimum` in tests)
    /// and a clock for invitations' expiry.
    public init(path: String, cost: PassphraseSeal.Cost, clock: any HavenClock) throws(HavenError) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        people = self.path + "/people"
        invitations = self.path + "/invitations"
        self.cost = cost
        self.clock = clock
        try PeopleFiles.ensureDirectory(self.path, what: "the keys directory", create: true, followLink: true)
        try PeopleFiles.ensureDirectory(people, what: "the keys directory's people/", create: true, followLink: false)
        try PeopleFiles.ensureDirectory(invitations, what: "the keys directory's invitations/", create: true, followLink: false)
    }

    /// A one-time invitation for `name`, valid for `seconds`: the token to put in the link.
    /// Only the token's digest is kept. A name that has a key already is refused unless
    /// `replacing` (a forgotten passphrase: the new key replaces the old when redeemed).
    public func invite(_ name: String, validFor seconds: Int = 86_400, replacing: Bool = false) throws(HavenError) -> String {
        try makeInvitation(name, validFor: seconds, replacing: replacing)
    }

    /// The name a valid, unexpired invitation is for; nil for any other token.
    public func invitationName(token: String) -> String? {
        pendingInvitation(token: token)?.name
    }

    /// Until when a valid, unexpired invitation works; nil for any other token.
    public func invitationExpiry(token: String) -> Timestamp? {
        pendingInvitation(token: token)?.expiresAt
    }

    /// Redeems an invitation once: the person's new key pair, sealed under `passphrase`
    /// (at least 12 characters). The name and public key are for the enrol command.
    public func redeem(token: String, passphrase: SecureBytes) throws(HavenError) -> (name: String, publicKey: PublicKey) {
        try redeemInvitation(token: token, passphrase: passphrase)
    }

    /// The person's signing key. An unknown name and a wrong passphrase are the same error.
    public func open(name: String, passphrase: SecureBytes) throws(HavenError) -> SigningKey {
        try openKey(name: name, passphrase: passphrase)
    }

    /// The public key a person's key file names (no passphrase needed); nil if they have none.
    public func publicKey(of name: String) -> PublicKey? {
        try? readSeal(name: name)?.publicKey
    }

    /// The language a person chose at this desk, if any.
    public func language(of name: String) -> Language? {
        readLanguage(name)
    }

    /// Remembers the language a person (who has a key here) chose.
    public func setLanguage(_ language: Language, for name: String) throws(HavenError) {
        try writeLanguage(language, for: name)
    }

    /// Removes a person from this desk: their key, language and pending invitations.
    public func forget(_ name: String) throws(HavenError) {
        try forgetPerson(name)
    }

    func keyPath(_ name: String) -> String { people + "/" + name + ".key" }
    func languagePath(_ name: String) -> String { people + "/" + name + ".lang" }

    /// A user name as havend's (`UserName`): it becomes a file name here, so nothing else gets that far.
    static func checkedName(_ name: String) throws(HavenError) -> String {
        try UserName(name).rawValue
    }
}

extension PeopleDirectory {
    /// The wall clock (CLOCK_REALTIME) in milliseconds, for invitations' expiry; tests give a fixed one.
    struct SystemTime: HavenClock {
        func now() -> Timestamp {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Timestamp(millisecondsSinceEpoch: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
        }
    }
}
