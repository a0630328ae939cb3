import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import NIOCore

/// A challenge issued on one connection; the server keeps it in the connection's state
/// and it can be answered once.
public struct AuthChallenge: Sendable {
    public let nonce: String
    public let issuedAt: Timestamp
}

extension Vault {
    /// How long a challenge may be answered: long enough for a human-driven client,
    /// short enough that a leaked transcript is useless soon after.
    public static let challengeLifetimeSeconds = 30

    public func newChallenge() -> AuthChallenge {
        AuthChallenge(nonce: Base64.encode(Random.bytes(32)), issuedAt: clock.now())
    }

    /// Opens a session: the caller proves possession of an enrolled key by signing the
    /// transcript of this connection's challenge (see `AuthTranscript`).
    ///
    /// Every failure gets the same answer, so a prober learns nothing about which keys are
    /// enrolled or why; the audit entry records the precise reason for the auditor.
    public func openSession(_ ctx: RequestContext, challenge: AuthChallenge?, request: SessionRequest) -> EventLoopFuture<EnrolledUser> {
        var record = RequestRecord(action: "auth.session", peer: ctx.peer)
        let refusal = HavenError(.authenticationFailed, "authentication failed",
                                 hint: "check the key file, that the user is enrolled and not revoked, and the uid it is bound to")
        let now = clock.now()
        let claimedKey = Base64.decode(request.publicKey).flatMap { try? PublicKey(bytes: $0) }?.keyID
        // Locked out: refused before anything is looked up, so nothing about keys or users
        // can be learned, and the refusal is itself an entry.
        if case .lockedOut(let until) = throttle.verdict(uid: ctx.peer.uid, keyID: claimedKey, now: now) {
            record.event.rule = "locked out until \(until.rfc3339) after repeated failed authentications"
            if let claimedKey { record.event.detail["key_id"] = claimedKey }
            return refuse(ctx, record, HavenError(.lockedOut, "too many failed authentications; try again after \(until.rfc3339)"))
        }
        let future = handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<EnrolledUser> in
            func fail(_ reason: String) -> HavenError {
                record.event.rule = reason
                return refusal
            }
            guard let challenge else { throw fail("no challenge was issued on this connection") }
            let age = clock.now().millisecondsSinceEpoch - challenge.issuedAt.millisecondsSinceEpoch
            guard age <= Int64(Self.challengeLifetimeSeconds) * 1000 else { throw fail("the challenge expired") }
            guard let keyBytes = Base64.decode(request.publicKey), let key = try? PublicKey(bytes: keyBytes) else {
                throw fail("the public key is malformed")
            }
            record.event.detail["key_id"] = key.keyID
            guard let user = users.activeUser(withKey: keyBytes) else {
                throw fail("no active user is enrolled with key \(key.keyID)")
            }
            record.identify(user)
            if let bound = user.uid, bound != ctx.peer.uid {
                throw fail("user \(user.name) is bound to uid \(bound), but the peer is uid \(ctx.peer.uid)")
            }
            guard let signature = Base64.decode(request.signature) else { throw fail("the signature is malformed") }
            let transcript = AuthTranscript.bytes(vaultID: keys.vaultID.rawValue, nonce: challenge.nonce,
                                                  uid: ctx.peer.uid, pid: ctx.peer.pid, publicKey: request.publicKey)
            do {
                try key.verify(signature: signature, message: transcript)
            } catch {
                throw fail("the signature does not verify for this connection's challenge and peer")
            }
            record.event.decision = .allow
            record.event.rule = "authenticated by Ed25519 challenge bound to the socket peer"
            return writer.audit(on: ctx.eventLoop, record.event).map { _ in user }
        }
        // Failures are counted, and answered more slowly as they repeat.
        let throttle = self.throttle
        return future.flatMapError { error in
            guard let e = error as? HavenError, e.code == .authenticationFailed else { return ctx.eventLoop.makeFailedFuture(error) }
            let delay = throttle.failed(uid: ctx.peer.uid, keyID: claimedKey, now: now)
            return ctx.eventLoop.scheduleTask(in: .milliseconds(delay)) { throw e }.futureResult
        }.map { user in
            throttle.succeeded(uid: ctx.peer.uid, keyID: claimedKey ?? "")
            return user
        }
    }

    /// `GET /v1/status`: who the connection is. The cheapest authenticated request: it
    /// reads no record and writes no audit entry (it reveals nothing but the caller's own
    /// identity). A revoked caller is refused, and that refusal is audited.
    public func status(_ ctx: RequestContext) -> EventLoopFuture<SessionResponse> {
        do throws(HavenError) {
            let user = try currentUser(ctx)
            return ctx.eventLoop.makeSucceededFuture(sessionResponse(user))
        } catch {
            var record = RequestRecord(action: "status", peer: ctx.peer)
            if let s = ctx.session { record.identify(s) }
            return refuse(ctx, record, error)
        }
    }

    public func sessionResponse(_ user: EnrolledUser) -> SessionResponse {
        SessionResponse(user: user.name.rawValue, role: user.role.rawValue, agency: user.agency.rawValue,
                        vaultID: keys.vaultID.rawValue, policyVersion: policies.policy.version, restoreEpoch: restoreEpoch)
    }
}
