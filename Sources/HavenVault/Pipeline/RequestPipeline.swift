import HavenAudit
import HavenCore
import HavenPolicy
import HavenStore
import Logging
import NIOCore

/// The one place where a request's caller, its policy decision, the store and its audit
/// entry meet. Every capability service asks it and none re-implements it, so the order is
/// the same for all: the caller as enrolled now → the decision → a snapshot or the writer's
/// transaction → an answer that leaves only once its audit entry is durable. A refusal or a
/// failure at any step is itself an entry.
struct RequestPipeline: Sendable {
    let users: UserDirectory
    let policies: PolicyHolder
    let writer: WriteQueue
    let readers: ReaderPool
    let opener: RecordOpener
    let clock: any HavenClock
    let logger: Logger

    /// The latest audited state of every record, checked on every access.
    var ledger: StateLedger { writer.ledger }

    /// The entry of a request for `action`, from `ctx`'s peer, and through the bridge the
    /// origin it reported (`via`, `reported_from`), so every entry of such a connection says so.
    func begin(_ action: String, _ ctx: RequestContext) -> AuditEntryDraft {
        var draft = AuditEntryDraft(action: action, peer: ctx.peer)
        ctx.origin.stamp(&draft.event)
        return draft
    }

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

    /// The caller as enrolled right now, named in the request's entry.
    func caller(_ ctx: RequestContext, _ entry: inout AuditEntryDraft) throws(HavenError) -> EnrolledUser {
        let user = try currentUser(ctx)
        entry.identify(user)
        return user
    }

    static func subject(of user: EnrolledUser) -> Subject {
        Subject(user: user.name, role: user.role, agency: user.agency)
    }

    /// Names the caller in the request's entry and decides `action`, one that concerns no
    /// particular record, under `policy`; a refusal is noted in the entry and thrown.
    func authorize(_ ctx: RequestContext, _ entry: inout AuditEntryDraft, _ action: Action,
                   under policy: Policy) throws(HavenError) -> EnrolledUser {
        let user = try caller(ctx, &entry)
        let decision = policy.decide(AccessRequest(subject: Self.subject(of: user), action: action, now: clock.now()))
        try Self.require(decision, &entry)
        return user
    }

    /// Notes `decision` in the entry; a refusal is thrown.
    static func require(_ decision: Decision, _ entry: inout AuditEntryDraft) throws(HavenError) {
        entry.note(decision)
        guard decision.allowed else { throw denial(decision) }
    }

    /// The error a denied decision is answered with.
    static func denial(_ decision: Decision) -> HavenError {
        HavenError(.denied, decision.rule, hint: decision.hint)
    }

    /// Runs the synchronous part of a request; a thrown `HavenError` is audited and answered.
    func handle<T: Sendable>(_ ctx: RequestContext, _ entry: inout AuditEntryDraft,
                             _ body: (inout AuditEntryDraft) throws(HavenError) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        do throws(HavenError) {
            return try body(&entry)
        } catch {
            return refuse(ctx, entry, error)
        }
    }

    /// A request about one record: the caller as enrolled now and the record's id are named
    /// in the entry before `body` decides anything, so even a refusal says who asked for what.
    /// `rawID` may be a case number of the caller's agency (`CaseNumbers.resolve`): the record
    /// it names is then decided on and audited exactly as if its id had been given.
    /// However the request meets an erased record (a snapshot or the writer), the caller
    /// hears only what `erasedAnswer` allows; the entry keeps what happened.
    func handle<T: Sendable>(_ action: String, _ ctx: RequestContext, record rawID: String,
                             _ body: (inout AuditEntryDraft, EnrolledUser, RecordID) throws(HavenError) -> EventLoopFuture<T>)
        -> EventLoopFuture<T> {
        var entry = begin(action, ctx)
        let user: EnrolledUser
        let id: RecordID
        do throws(HavenError) {
            user = try caller(ctx, &entry)
            id = try recordID(rawID, for: user)
        } catch {
            return refuse(ctx, entry, error)
        }
        entry.event.record = id.rawValue
        return handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<T> in try body(&entry, user, id) }
            .flatMapErrorThrowing { [self] error throws -> T in
                guard let e = error as? HavenError, e.code == .erased else { throw error }
                throw erasedAnswer(id, for: user, named: rawID)
            }
    }

    /// A record id, or the record a case number of `user`'s agency names; another agency's
    /// number is `not_found`, as one never given.
    func recordID(_ raw: String, for user: EnrolledUser) throws(HavenError) -> RecordID {
        guard raw.utf8.count != 26, CaseNumber.looksLikeOne(raw) else { return try RecordID(raw) }
        let numbers = CaseNumbers(keys: opener.keys, logger: logger)
        return try readSnapshot { (view) throws(HavenError) -> RecordID in try numbers.resolve(raw, agency: user.agency, on: view.db) }
    }

        /// Audits a refusal, then fails with `error`: the refusal is answered only once its
    /// entry is durable, and if it cannot be written the answer is `audit_unavailable`.
    func refuse<T: Sendable>(_ ctx: RequestContext, _ entry: AuditEntryDraft, _ error: HavenError) -> EventLoopFuture<T> {
        writer.audit(on: ctx.eventLoop, entry.failed(error)).flatMapThrowing { _ throws -> T in
            throw error
        }
    }

    /// Writes the entry of a request that changed nothing; `answer` is released once it is durable.
    func answer<T: Sendable>(_ ctx: RequestContext, _ entry: AuditEntryDraft, _ answer: T, checkpoint: Bool = false) -> EventLoopFuture<T> {
        writer.audit(on: ctx.eventLoop, entry.event, checkpoint: checkpoint).map { _ in answer }
    }

    /// Runs a change inside the writer's transaction: reading, deciding and writing all
    /// see the same, latest state, so no decision is made on data that changed under it.
    /// The job's audit entry records the outcome either way. While the anchor cannot be
    /// written, every change is refused (`AnchorKeeper`).
    func change<T: Sendable>(_ ctx: RequestContext, _ entry: AuditEntryDraft, checkpoint: Bool = false,
                             _ body: @escaping @Sendable (WriteTransaction, inout AuditEntryDraft) throws(HavenError) -> T)
        -> EventLoopFuture<Committed<T>> {
        writer.submit(on: ctx.eventLoop) { tx in
            var e = entry
            do throws(HavenError) {
                try writer.anchorKeeper?.admit(on: tx.db)
                let value = try body(tx, &e)
                if checkpoint { tx.requestCheckpoint() }
                return (.success(value), e.event)
            } catch {
                return (.failure(error), e.failed(error))
            }
        }
    }
}

extension RequestPipeline {
    /// An enrolled, active user named in a request (an assignee); a typo is named back printably.
    func activeUser(_ raw: String) throws(HavenError) -> EnrolledUser {
        guard let name = try? UserName(raw), let user = users.user(named: name), user.isActive else {
            throw HavenError(.invalidValue, "no active user '\(NameRules.printable(raw))'")
        }
        return user
    }
}
