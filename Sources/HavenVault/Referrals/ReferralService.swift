import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

/// The steps that change a referral. Each is a change to the record it belongs to — its
/// sealed header holds the referral's state, a sealed history row holds the step's words —
/// made in the writer's transaction and audited against the record, so `haven audit log
/// --record ID` shows the chain, and the next decision on the record already sees it
/// (`vault.referrals`).
public struct ReferralService: Sendable {
    let pipeline: RequestPipeline
    let changes: RecordChanges

    /// Longest note a sender may give the receiving agency.
    static let maximumReferralNote = HistoryLimits.noteCharacters
    /// Most referrals one record may have had: each is an entry of the header every request
    /// on the record opens, so a user sending and revoking in a loop cannot make it grow
    /// without end.
    static let maximumReferralsPerRecord = 100

    /// `referral.create`: refers the record to `request.to` for `request.service`.
    public func create(_ ctx: RequestContext, id rawID: String,
                       request: ReferralCreateRequest) -> EventLoopFuture<ReferralWriteResponse> {
        pipeline.handle(Action.referralCreate.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<ReferralWriteResponse> in
            // A mistyped agency is a value to correct, not an access decision to audit as refused.
            let to = try pipeline.policies.policy.agencies.named(request.to, what: "referral to")
            guard ReferralEvent.isServiceName(request.service) else {
                throw HavenError(.invalidValue, "invalid service '\(NameRules.printable(request.service))'",
                                 hint: "a service of policy/referrals.yaml, as 'haven policy check' lists them")
            }
            try FieldValueRules.checkReason(request.purpose, what: "purpose")
            if let note = request.note {
                try FieldValueRules.checkText(note, what: "note", maximum: Self.maximumReferralNote)
            }
            entry.event.purpose = request.purpose
            let ref = ReferralID(bytes: Random.bytes(10))
            entry.event.detail["referral"] = ref.rawValue
            entry.event.detail["service"] = request.service
            entry.event.detail["to"] = to.rawValue
            let subject = RequestPipeline.subject(of: user)
            let ask = ReferralAsk(service: request.service, to: to)
            let (purpose, note) = (request.purpose, request.note.flatMap { $0.isEmpty ? nil : $0 })
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .referralCreate, record: facts, referral: ask, now: now)
            }, apply: { (header, opened, now) throws(HavenError) -> RecordChange in
                guard header.referrals.count < Self.maximumReferralsPerRecord else {
                    throw HavenError(.limitReached, "the record has had \(header.referrals.count) referrals, the most one record may have")
                }
                let referral = Referral(id: ref, service: ask.service, from: header.agency, to: ask.to, createdBy: subject.user,
                                        createdAt: now)
                let index = header.recordReferral(referral)
                let event = ReferralEvent(referral: ref, kind: .create, by: subject.user, at: now, service: ask.service, to: ask.to,
                                          text: purpose, note: note)
                return RecordChange(referralEvents: [(index, opened.cipher.sealReferralEvent(event, index: index))],
                                    referrals: [(Self.indexRow(referral, record: id), true)])
            }).map { ReferralWriteResponse(ref: ref.rawValue, record: id.rawValue, status: ReferralStatus.pending.rawValue,
                                           version: $0.value.version) }
        }
    }

    /// `referral.accept`, `.assign`, `.unassign`, `.decline`, `.revoke`, `.close`: one step on
    /// referral `rawRef`.
    public func change(_ ctx: RequestContext, ref rawRef: String, _ kind: ReferralChange,
                       request: ReferralStepRequest) -> EventLoopFuture<ReferralWriteResponse> {
        var entry = pipeline.begin("referral.\(kind.rawValue)", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<ReferralWriteResponse> in
            let user = try pipeline.caller(ctx, &entry)
            let ref = try ReferralID(rawRef)
            entry.event.detail["referral"] = ref.rawValue
            var reasonGiven: String?
            var stepAsked = ReferralStep.decline
            switch kind {
            case .accept:
                guard request.reason == nil else { throw HavenError(.badRequest, "accepting a referral takes no reason") }
                let assignee = try request.assign.map { (raw) throws(HavenError) -> EnrolledUser in try pipeline.activeUser(raw) }
                if let assignee { entry.event.detail["assigned"] = assignee.name.rawValue }
                stepAsked = .accept(assignee: assignee.map(RequestPipeline.subject(of:)))
            case .assign, .unassign:
                guard request.reason == nil else { throw HavenError(.badRequest, "assigning a referral takes no reason") }
                guard kind == .assign else {
                    guard request.assign == nil else { throw HavenError(.badRequest, "unassigning a referral names no user") }
                    stepAsked = .assign(assignee: nil)
                    break
                }
                guard let raw = request.assign else {
                    throw HavenError(.invalidValue, "name the user to assign", hint: "haven referral unassign REF clears the assignee")
                }
                let assignee = try pipeline.activeUser(raw)
                entry.event.detail["assigned"] = assignee.name.rawValue
                stepAsked = .assign(assignee: RequestPipeline.subject(of: assignee))
            case .decline, .revoke, .close:
                guard request.assign == nil else { throw HavenError(.badRequest, "only an accepted referral is assigned") }
                guard let given = request.reason else {
                    throw HavenError(.invalidValue, "a reason is required to \(kind.rawValue) a referral")
                }
                try FieldValueRules.checkReason(given, what: "reason")
                reasonGiven = given
                entry.event.purpose = given
                stepAsked = kind == .decline ? .decline : kind == .revoke ? .revoke : .close
            }
            // The index says which record holds the referral; the record's sealed header says
            // what it is. A row that names a record without it is a finding, not a referral.
            let logger = pipeline.logger
            let row = try pipeline.readSnapshot { (view) throws(HavenError) -> StoredReferral? in
                try storeCall(logger) { try ReferralTable.get(ref.rawValue, on: view.db) }
            }
            guard let row, let id = try? RecordID(row.record) else { throw Self.noSuchReferral(ref) }
            entry.event.record = id.rawValue
            let subject = RequestPipeline.subject(of: user)
            let (step, reason, status) = (stepAsked, reasonGiven, kind.status)
            let finding = "the referral index names record \(id) for referral \(ref), whose sealed header does not hold it"
            return changes.change(ctx, entry, id: id, user: user, decide: { (policy, facts, now) throws(HavenError) -> Decision in
                guard let referral = facts.referrals.first(where: { $0.id == ref }) else { throw HavenError.integrityFinding(finding) }
                // Someone with no part in it hears what a reference that names nothing gets.
                guard policy.referralParty(subject, referral) != nil else { throw Self.noSuchReferral(ref) }
                return policy.decideReferral(step, by: subject, referral: ref, record: facts, now: now)
            }, apply: { (header, opened, now) throws(HavenError) -> RecordChange in
                guard var referral = header.referral(ref) else { throw HavenError.integrityFinding(finding) }
                referral.status = status
                referral.updatedBy = subject.user
                referral.updatedAt = now
                var assignee: UserName?
                var detail: [String: String] = [:]
                switch step {
                case .accept(let a?):
                    referral.assignee = a.user
                    assignee = a.user
                case .assign(let a):
                    // The one who worked it loses its reach at the next request: every decision
                    // reads the assignee from this header.
                    let was = referral.assignee
                    // A step that would change nothing is a value to correct, as `record unassign` of
                    // a user not assigned is.
                    guard was != a?.user else {
                        throw HavenError(.invalidValue, was.map { "referral \(ref) is already assigned to \($0)" }
                                         ?? "referral \(ref) has no assignee")
                    }
                    if let was { detail["unassigned"] = was.rawValue }
                    referral.assignee = a?.user
                    assignee = a?.user ?? was
                default: break
                }
                let index = header.recordReferral(referral)
                let event = ReferralEvent(referral: ref, kind: kind.event, by: subject.user, at: now, service: referral.service,
                                          to: referral.to, text: reason, assignee: assignee)
                // The receiving agency numbers the record as it accepts it, as its own staff count cases.
                return RecordChange(referralEvents: [(index, opened.cipher.sealReferralEvent(event, index: index))],
                                    referrals: [(Self.indexRow(referral, record: id), false)],
                                    caseNumberAt: kind == .accept ? referral.to : nil, detail: detail)
            }).flatMapThrowing {
                let written = try pipeline.journaled($0, Self.journaled(kind, record: id, referral: ref), by: subject.user, keys: changes.keys)
                return ReferralWriteResponse(ref: ref.rawValue, record: kind == .decline ? nil : id.rawValue, status: status.rawValue,
                                             version: written.version)
            }
        }
    }

    /// Each step that ends a referral is journaled: a restore would otherwise bring it back
    /// pending or accepted, and the receiving agency would reach the record again.
    static func journaled(_ kind: ReferralChange, record: RecordID, referral: ReferralID) -> RecoveryAct.Kind? {
        switch kind {
        case .accept, .assign, .unassign: nil
        case .revoke: .referralRevoked(record: record, referral: referral)
        case .close: .referralClosed(record: record, referral: referral)
        case .decline: .referralDeclined(record: record, referral: referral)
        }
    }

    static func indexRow(_ r: Referral, record: RecordID) -> StoredReferral {
        StoredReferral(id: r.id.rawValue, record: record.rawValue, from: r.from.rawValue, to: r.to.rawValue, service: r.service,
                       status: r.status.rawValue, createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}
