import HavenAPI
import HavenCore
import HavenVault
import NIOCore

/// A gate route's answer, and the session it opened if it opened one.
struct GateAnswer: Sendable {
    let response: Response
    /// Set by an accepted `/v1/auth/session`: the connection is authenticated from now on.
    let opened: (user: EnrolledUser, generation: UInt64)?

    init(_ response: Response, opened: (user: EnrolledUser, generation: UInt64)? = nil) {
        self.response = response
        self.opened = opened
    }
}

/// Answers the routes that are the gate's rather than an open vault's: health and seal
/// status, unseal, seal and rotation, and the challenge and session that authenticate a
/// connection. The vault routes are `Endpoints`'.
struct GateEndpoints {
    let gate: VaultGate
    /// The vault as the request found it, read once by the connection so that the session
    /// it checked and the answer given here are of the same opening.
    let opened: (vault: Vault, generation: UInt64)?

    /// Whether `route` is answered here.
    static func serves(_ route: Route) -> Bool {
        switch route {
        case .health, .sealStatus, .unseal, .challenge, .session, .seal, .rotate: true
        default: false
        }
    }

    /// Answers `route`, one that `serves`. A challenge is kept in, and a session answer
    /// takes it from, the connection's `session`; a session opened is given back in the
    /// answer, for the connection to keep.
    func dispatch(_ route: Route, _ request: IncomingRequest, _ ctx: RequestContext,
                  session: inout ConnectionSession) -> EventLoopFuture<GateAnswer> {
        let loop = ctx.eventLoop
        do throws(HavenError) {
            switch (route, opened) {
            case (.health, _):
                // For monitoring: no session, not audited (it touches no record and no user), and
                // it says nothing but that the daemon answers and whether its vault is open.
                return loop.makeSucceededFuture(GateAnswer(.json(JSONAnswer.encode(HealthResponse(live: true, sealed: opened == nil)))))
            case (.sealStatus, let opened):
                // Anyone may ask whether it is sealed and how many shares are still needed;
                // the vault's id and size are an administrator's to see.
                let whole = opened?.vault.custody.mayManageKeys(ctx) ?? false
                return loop.makeSucceededFuture(GateAnswer(.json(JSONAnswer.encode(whole ? gate.status : gate.status.anonymous))))
            case (.unseal, _):
                // No session: a sealed vault cannot authenticate anyone. What is offered is
                // checked against the vault, and every attempt is audited once it opens.
                let offer = try OperatorRequests.offer(try JSONBody.decode(UnsealRequest.self, from: request.body))
                return gate.unseal(offer, peer: ctx.peer.auditPeer, origin: ctx.origin, on: loop).map { GateAnswer(.json(JSONAnswer.encode($0.anonymous))) }
            case (_, nil):
                return loop.makeSucceededFuture(GateAnswer(.error(gate.sealedError)))
            case (.challenge, let (vault, _)?):
                let c = vault.sessions.newChallenge()
                session.issue(c)
                // The peer as the kernel reports it: a client behind the SSH bridge signs these,
                // the bridge process's, as it cannot know them itself (AUTHENTICATION.md).
                let body = ChallengeResponse(vaultID: vault.keys.vaultID.rawValue, nonce: c.nonce,
                                             expiresInSeconds: SessionService.challengeLifetimeSeconds,
                                             peerUID: ctx.peer.uid, peerPID: ctx.peer.pid)
                return loop.makeSucceededFuture(GateAnswer(.json(JSONAnswer.encode(body))))
            case (.session, let (vault, generation)?):
                let issued = session.takeChallenge()  // single use, whatever the outcome
                let body = try JSONBody.decode(SessionRequest.self, from: request.body)
                return vault.sessions.open(ctx, challenge: issued, request: body).map { user in
                    GateAnswer(.json(JSONAnswer.encode(vault.sessions.response(for: user))), opened: (user, generation))
                }
            case (.seal, _?):
                return gate.seal(ctx).map { GateAnswer(.json(JSONAnswer.encode($0))) }
            case (.rotate, _?):
                // A vault kept in a file needs nothing said: no body is the same as {}.
                let body = request.body == nil ? RotateRequest() : try JSONBody.decode(RotateRequest.self, from: request.body)
                switch try OperatorRequests.ceremony(body) {
                case .describe(let id)?:
                    // What a custodian is asked to commit to, before they offer their share.
                    return loop.makeSucceededFuture(GateAnswer(.json(JSONAnswer.encode(try gate.describeRotation(id)))))
                case .offer(let id, let share)?:
                    // A custodian's current share for a pending rotation: no session, the
                    // share is the credential (as at unseal); audited with the peer.
                    return gate.offerRotationShare(id: id, share: share, peer: ctx.peer.auditPeer, origin: ctx.origin, on: loop)
                        .map { GateAnswer(.json(JSONAnswer.encode($0))) }
                case nil:
                    break
                }
                let rotation = try OperatorRequests.rotation(body)
                // A split carries the new shares: the answer is wiped once written.
                return gate.rotate(ctx, rotation).map { GateAnswer(.sensitive(encoding: $0)) }
            default:
                return loop.makeFailedFuture(HavenError(.internalError, "answered by the vault's endpoints"))
            }
        } catch {
            return loop.makeSucceededFuture(GateAnswer(.error(error)))
        }
    }
}
