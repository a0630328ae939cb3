import HavenAudit
import HavenCore
import HavenPolicy
import NIOCore

/// The audit event of one request, filled in as the request proceeds, so that whatever
/// way it ends (answered, denied, failed) it is logged with everything known so far.
struct RequestRecord {
    var event: AuditEvent

    init(action: String, peer: PeerCredentials) {
        event = AuditEvent(action: action, peer: peer.auditPeer, decision: .error, rule: "")
    }

    mutating func identify(_ user: EnrolledUser) {
        event.actor = AuditEvent.Actor(user: user.name.rawValue, role: user.role.rawValue, agency: user.agency.rawValue)
    }

    /// Copies what a decision relied on into the entry.
    mutating func note(_ decision: Decision) {
        event.decision = decision.allowed ? .allow : .deny
        event.rule = decision.rule
        event.policyVersion = decision.policyVersion
        event.withheld = decision.withheld.map { .init(field: $0.field.rawValue, reason: $0.reason) }
            + decision.withheldNotes.map { .init(field: "note#\($0.index)", reason: $0.reason) }
        event.consent = Dictionary(uniqueKeysWithValues: decision.consentRelied.map { ($0.key.rawValue, $0.value.description) })
        if decision.breakGlass { event.breakGlass = event.breakGlass ?? "" }
        if let order = decision.courtOrder { event.detail["court_order"] = order }
    }

    /// The entry for a request that ends with `error`.
    func failed(_ error: HavenError) -> AuditEvent {
        var e = event
        e.outcome = error.code.rawValue
        switch error.code {
        case .denied, .unauthenticated, .authenticationFailed, .lockedOut:
            e.decision = .deny
        default:
            e.decision = e.decision == .deny ? .deny : .error
        }
        if e.rule.isEmpty { e.rule = error.message }
        // What an integrity check found goes in the entry even when a decision set the rule,
        // so the auditor reads which row was rolled back, deleted or forged.
        if error.code == .integrityError { e.detail["integrity"] = error.message }
        e.released = []
        e.written = []
        return e
    }
}

extension Vault {
    /// The caller as enrolled right now. A connection authenticated before its user was
    /// revoked, or whose key was replaced, is refused from the next request on.
    func currentUser(_ ctx: RequestContext) throws(HavenError) -> EnrolledUser {
        guard let session = ctx.session else {
            throw HavenError(.unauthenticated, "this connection has not authenticated",
                             hint: "open a session with POST /v1/auth/challenge and /v1/auth/session")
        }
        guard let now = users.user(named: session.name), now.isActive, now.publicKey == session.publicKey else {
            throw HavenError(.unauthenticated, "user \(session.name) is no longer enrolled with this key")
        }
        return now
    }

    func subject(of user: EnrolledUser) -> Subject {
        Subject(user: user.name, role: user.role, agency: user.agency)
    }

    /// Audits a refusal, then fails with `error`: the refusal is answered only once its
    /// entry is durable, and if it cannot be written the answer is `audit_unavailable`.
    func refuse<T: Sendable>(_ ctx: RequestContext, _ record: RequestRecord, _ error: HavenError) -> EventLoopFuture<T> {
        writer.audit(on: ctx.eventLoop, record.failed(error)).flatMapThrowing { _ throws -> T in
            throw error
        }
    }

    /// Names the caller in the request's entry and decides `action`, one that concerns no
    /// particular record, under `policy`; a refusal is noted in the entry and thrown.
    func authorize(_ ctx: RequestContext, _ record: inout RequestRecord, _ action: Action,
                   under policy: Policy) throws(HavenError) -> EnrolledUser {
        let user = try currentUser(ctx)
        record.identify(user)
        let decision = policy.decide(AccessRequest(subject: subject(of: user), action: action, now: clock.now()))
        record.note(decision)
        guard decision.allowed else { throw denial(decision) }
        return user
    }

    /// The error a denied decision is answered with.
    func denial(_ decision: Decision) -> HavenError {
        HavenError(.denied, decision.rule)
    }

    /// Runs the synchronous part of a request; a thrown `HavenError` is audited and answered.
    func handle<T: Sendable>(_ ctx: RequestContext, _ record: inout RequestRecord,
                             _ body: (inout RequestRecord) throws(HavenError) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        do throws(HavenError) {
            return try body(&record)
        } catch {
            return refuse(ctx, record, error)
        }
    }
}

extension Vault {
    /// Runs a change inside the writer's transaction: reading, deciding and writing all
    /// see the same, latest state, so no decision is made on data that changed under it.
    /// The job's audit entry records the outcome either way.
    func change<T: Sendable>(_ ctx: RequestContext, _ record: RequestRecord, checkpoint: Bool = false,
                             _ body: @escaping @Sendable (WriteTransaction, inout RequestRecord) throws(HavenError) -> T)
        -> EventLoopFuture<Committed<T>> {
        writer.submit(on: ctx.eventLoop) { tx in
            var r = record
            do throws(HavenError) {
                let value = try body(tx, &r)
                if checkpoint { tx.requestCheckpoint() }
                return (.success(value), r.event)
            } catch {
                return (.failure(error), r.failed(error))
            }
        }
    }
}
