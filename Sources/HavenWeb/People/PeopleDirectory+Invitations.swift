import Glibc
import HavenCore
import HavenCrypto

/// Invitations: made by an administrator (`haven-web invite`), redeemed once by the person.
///
/// Invariant: an invitation makes at most one key. Redeeming first renames its file to a
/// name of the redeemer's own; rename is atomic, so of two redeemers of one token exactly
/// one gets the file and the other finds nothing, and the file is gone for good whatever
/// happens next (a failed redeem needs a new invitation, never a second try of the same).
extension PeopleDirectory {
    /// How long an invitation may live: the command offers up to 72 hours, the desk no more.
    static let longestInvitation = 72 * 3600

    /// Fewest characters (Unicode scalars) of a passphrase.
    public static let shortestPassphrase = 12

    static let invitationUnusable = HavenError(
        .notFound, "this invitation link does not work: it was used already, or never made",
        hint: "ask an administrator for a new invitation")
    static let invitationExpired = HavenError(
        .notFound, "this invitation link has expired",
        hint: "ask an administrator for a new invitation")

    func makeInvitation(_ name: String, validFor seconds: Int, replacing: Bool) throws(HavenError) -> String {
        let name = try Self.checkedName(name)
        guard (1...Self.longestInvitation).contains(seconds) else {
            throw HavenError(.invalidValue, "an invitation is valid for 1 second to \(Self.longestInvitation / 3600) hours")
        }
        guard replacing || !PeopleFiles.exists(keyPath(name)) else {
            throw HavenError(.conflict, "\(name) already has a key at this desk",
                             hint: "to give them a new one (a forgotten passphrase), invite with --replace; "
                                 + "the old key stops working when the new one is made")
        }
        sweepInvitations()
        let now = clock.now()
        let invitation = Invitation(name: name, expiresAt: now.adding(milliseconds: Int64(seconds) * 1000), replacing: replacing)
        let (token, digest) = InvitationToken.make()
        try PeopleFiles.write(invitation.json(), to: invitationPath(digest), replace: false)
        return token
    }

    /// The invitation a token names, if it is pending and unexpired (an expired one is removed).
    func pendingInvitation(token: String) -> Invitation? {
        guard let digest = InvitationToken.digest(of: token),
              let bytes = try? PeopleFiles.read(invitationPath(digest)), let invitation = Invitation.parse(bytes) else { return nil }
        guard clock.now() < invitation.expiresAt else {
            _ = try? PeopleFiles.remove(invitationPath(digest))
            return nil
        }
        return invitation
    }

    func redeemInvitation(token: String, passphrase: SecureBytes) throws(HavenError) -> (name: String, publicKey: PublicKey) {
        // Checked before the claim because it changes nothing: a passphrase too short to
        // keep must not cost the person their invitation.
        guard Self.characters(passphrase) >= Self.shortestPassphrase else {
            throw HavenError(.invalidValue, "the passphrase is too short: it needs at least \(Self.shortestPassphrase) characters",
                             hint: "a few words you will remember make a good passphrase")
        }
        guard let digest = InvitationToken.digest(of: token) else { throw Self.invitationUnusable }
        let claimed = invitations + "/" + digest + ".claimed-" + Hex.encode(Random.bytes(8))
        guard rename(invitationPath(digest), claimed) == 0 else {
            if errno == ENOENT { throw Self.invitationUnusable }
            throw PeopleFiles.failure("claim an invitation in", invitations)
        }
        defer { _ = try? PeopleFiles.remove(claimed) }
        guard let bytes = try PeopleFiles.read(claimed), let invitation = Invitation.parse(bytes) else {
            throw Self.invitationUnusable
        }
        guard clock.now() < invitation.expiresAt else { throw Self.invitationExpired }
        let name = invitation.name
        guard invitation.replacing || !PeopleFiles.exists(keyPath(name)) else {
            throw HavenError(.conflict, "\(name) already has a key at this desk", hint: "ask an administrator for an invitation that replaces it")
        }
        let key = SigningKey.generate()
        let seal: PersonKeySeal
        do {
            seal = try PersonKeySeal.seal(key, name: name, passphrase: passphrase, cost: cost)
        } catch {
            // Argon2id fails for want of memory; nothing else of the seal can with a fresh key.
            throw HavenError(.internalError, "cannot seal the new key (not enough memory for Argon2id?)",
                             hint: "ask an administrator for a new invitation")
        }
        let file = seal.bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .personKey, key: $0) }
        let written = file.withUnsafeBytes { f in
            Result { () throws(HavenError) in try PeopleFiles.write(f, to: keyPath(name), replace: invitation.replacing) }
        }
        do {
            try written.get()
        } catch {
            // Another invitation of the same name was redeemed in between.
            guard error.code == .conflict else { throw error }
            throw HavenError(.conflict, "\(name) already has a key at this desk", hint: "ask an administrator for an invitation that replaces it")
        }
        return (name, key.publicKey)
    }

    /// Removes the invitations that have expired, and those of `name` if given (a person forgotten).
    @discardableResult
    func sweepInvitations(of name: String? = nil) -> Int {
        let now = clock.now()
        var removed = 0
        for file in PeopleFiles.names(in: invitations) where file.hasSuffix(".json") || file.contains(".claimed-") {
            let path = invitations + "/" + file
            guard let bytes = try? PeopleFiles.read(path), let invitation = Invitation.parse(bytes) else { continue }
            if invitation.expiresAt <= now || invitation.name == name, (try? PeopleFiles.remove(path)) == true { removed += 1 }
        }
        return removed
    }

    func invitationPath(_ digest: String) -> String { invitations + "/" + digest + ".json" }

    /// Unicode scalars in a UTF-8 passphrase, counted where it lies in guarded memory: every
    /// byte that does not continue a scalar starts one.
    static func characters(_ passphrase: SecureBytes) -> Int {
        passphrase.withUnsafeBytes { b in b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    }
}
