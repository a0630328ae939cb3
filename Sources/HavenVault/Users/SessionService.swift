import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import NIOCore

/// Sessions (`vault.sessions`): a connection proves possession of an enrolled key once, by
/// signing its challenge bound to the socket peer; `status` then says who it is.
public struct SessionService: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys
    let throttle: AuthenticationThrottle
    /// Sessions refused for too many connections, so a flood of them is not a flood of entries.
    let refusals = ConnectionRefusals()
    /// Restores this vault's log records (`GET /v1/status`); fixed while it serves, since a
    /// restore is made offline.
    let restoreEpoch: Int

    /// How long a challenge may be answered: long enough for a human-driven client,
    /// short enough that a leaked transcript is useless soon after.
    public static let challengeLifetimeSeconds = 30

    public func newChallenge() -> AuthChallenge {
        AuthChallenge(nonce: Base64.encode(Random.bytes(32)), issuedAt: pipeline.clock.now())
    }

    /// Opens a session: the caller proves possession of an enrolled key by signing the
    /// transcript of this connection's challenge (see `AuthTranscript`).
    ///
    /// Every failure gets the same answer, so a prober learns nothing about which keys are
    /// enrolled or why; the audit entry records the precise reason for the auditor.
    public func open(_ ctx: RequestContext, challenge: AuthChallenge?, request: SessionRequest) -> EventLoopFuture<EnrolledUser> {
        var entry = pipeline.begin("auth.session", ctx)
        let refusal = HavenError(.authenticationFailed, "authentication failed",
                                 hint: "check the key file, that the user is enrolled and not revoked, and the uid it is bound to")
        let now = pipeline.clock.now()
        let claimedKey = Base64.decode(request.publicKey).flatMap { try? PublicKey(bytes: $0) }?.keyID
        // Locked out: refused before anything is looked up, so nothing about keys or users
        // can be learned, and the refusal is itself an entry.
        // Only this uid's attempts with this key are locked: the key's holder, from their own
        // uid, and the other users of this uid are not (AuthenticationThrottle).
        if case .lockedOut(let until) = throttle.verdict(uid: ctx.peer.uid, keyID: claimedKey, now: now) {
            entry.event.rule = "locked out until \(until.rfc3339) after repeated failed authentications from uid \(ctx.peer.uid) with this key"
            if let claimedKey { entry.event.detail["key_id"] = claimedKey }
            let error = HavenError(.lockedOut, "too many failed authentications; try again after \(until.rfc3339)",
                                   hint: "an administrator can lift it at once: haven user unlock NAME")
            let pace = throttle.pace(uid: ctx.peer.uid, keyID: claimedKey, now: now)
            return pipeline.refuse(ctx, entry, error).flatMapError { e in
                ctx.eventLoop.scheduleTask(in: .milliseconds(pace)) { throw e }.futureResult
            }
        }
        let future = pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<EnrolledUser> in
            func fail(_ reason: String) -> HavenError {
                entry.event.rule = reason
                return refusal
            }
            guard let challenge else { throw fail("no challenge was issued on this connection") }
            let age = pipeline.clock.now().millisecondsSinceEpoch - challenge.issuedAt.millisecondsSinceEpoch
            guard age <= Int64(Self.challengeLifetimeSeconds) * 1000 else { throw fail("the challenge expired") }
            guard let keyBytes = Base64.decode(request.publicKey), let key = try? PublicKey(bytes: keyBytes) else {
                throw fail("the public key is malformed")
            }
            entry.event.detail["key_id"] = key.keyID
            guard let user = pipeline.users.activeUser(withKey: keyBytes) else {
                throw fail("no active user is enrolled with key \(key.keyID)")
            }
            entry.identify(user)
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
            // Proved: now the connection's share decides whether this session may be held.
            if let admission = ctx.admission {
                let actions = pipeline.policies.policy.role(user.role)?.actions ?? []
                let privileged = actions.contains(.userManage) || actions.contains(.keyManage)
                if let refusal = admission.admit(user, uid: ctx.peer.uid, privileged: privileged) {
                    entry.event.rule = refusal.message
                    guard let unwritten = refusals.refused(user.name, now: now) else {
                        return ctx.eventLoop.makeFailedFuture(refusal)  // counted, not written (ConnectionRefusals)
                    }
                    entry.event.detail["refused_unaudited_since_last"] = String(unwritten)
                    pipeline.logger.notice("a session was refused: too many connections", metadata: [
                        "user": "\(user.name)", "peer.uid": "\(ctx.peer.uid)", "refused.unaudited": "\(unwritten)"])
                    throw refusal
                }
            }
            entry.event.decision = .allow
            entry.event.rule = "authenticated by Ed25519 challenge bound to the socket peer"
            return pipeline.answer(ctx, entry, user)
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

    /// `GET /v1/status`: who the connection is, and the vault's health (`VaultHealth`). The
    /// cheapest authenticated request: it reads no record and writes no audit entry (it
    /// reveals nothing of anyone's data). A revoked caller is refused, and that refusal is audited.
    public func status(_ ctx: RequestContext) -> EventLoopFuture<SessionResponse> {
        do throws(HavenError) {
            let user = try pipeline.currentUser(ctx)
            // The log's size and the anchor's path say how busy the vault is and where its
            // witness lives: for those who run or audit it, not for every enrolled user.
            let actions = pipeline.policies.policy.role(user.role)?.actions ?? []
            let operational = actions.contains(.userManage) || actions.contains(.keyManage) || actions.contains(.auditRead)
            return ctx.eventLoop.makeSucceededFuture(VaultHealth(writer: pipeline.writer).add(to: response(for: user),
                                                                                              operational: operational))
        } catch {
            var entry = pipeline.begin("status", ctx)
            if let s = ctx.session { entry.identify(s) }
            return pipeline.refuse(ctx, entry, error)
        }
    }

    public func response(for user: EnrolledUser) -> SessionResponse {
        SessionResponse(user: user.name.rawValue, role: user.role.rawValue, agency: user.agency.rawValue,
                        vaultID: keys.vaultID.rawValue, policyVersion: pipeline.policies.policy.version, restoreEpoch: restoreEpoch)
    }
}
