import HavenAPI
import HavenCore
import HavenPolicy
import HavenStore
import NIOCore

/// What the parties see of their referrals. The index finds them; each is shown only as
/// the record's sealed header has it, only to its parties (`ReferralParty`: the sender and
/// the sending agency's desk, the receiving agency's desk, the assignee), and only as far
/// as the caller's side and the referral's state allow: the receiving desk sees a waiting
/// referral's service, dates and sender, never the record, the people or the words, until
/// it has accepted. Anyone else at either agency sees nothing of it: it is not listed, and
/// `show` answers as for a referral that does not exist.
extension ReferralService {
    /// Most referrals one list shows, the latest change first.
    static let referralListLimit = 500

    /// `haven referral list`: the caller's agency's incoming or outgoing referrals.
    public func list(_ ctx: RequestContext, incoming: Bool, status rawStatus: String?) -> EventLoopFuture<ReferralListResponse> {
        var entry = pipeline.begin("referral.list", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<ReferralListResponse> in
            let policy = pipeline.policies.policy
            let user = try pipeline.authorize(ctx, &entry, .referralCreate, under: policy)
            let status = try rawStatus.map { (raw) throws(HavenError) -> ReferralStatus in
                guard let s = ReferralStatus(rawValue: raw) else {
                    throw HavenError(.invalidValue, "unknown referral status '\(NameRules.printable(raw))'",
                                     hint: "one of: \(ReferralStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return s
            }
            entry.event.detail["direction"] = incoming ? "incoming" : "outgoing"
            entry.event.detail["status"] = status?.rawValue
            let subject = RequestPipeline.subject(of: user)
            let now = pipeline.clock.now()
            let logger = pipeline.logger
            let numbers = CaseNumbers(keys: changes.keys, logger: logger)
            let answer = try pipeline.readSnapshot { (view) throws(HavenError) -> ReferralListResponse in
                let rows = try storeCall(logger) {
                    try ReferralTable.list(subject.agency.rawValue, incoming ? .incoming : .outgoing, status: status?.rawValue,
                                           limit: Self.referralListLimit, on: view.db)
                }
                var shown = [ReferralSummary]()
                var unverified = 0
                for row in rows {
                    guard let (opened, referral) = try verified(row, in: view, policy: policy),
                          (incoming ? referral.to : referral.from) == subject.agency else {
                        unverified += 1
                        continue
                    }
                    guard let party = policy.referralParty(subject, referral),
                          policy.decideReferral(.view, by: subject, referral: referral.id, record: opened.facts, now: now).allowed
                    else { continue }
                    var summary = Self.summary(referral, record: opened.header.id, for: party)
                    numbers.label(&summary, record: opened.header.id, on: view.db)
                    shown.append(summary)
                }
                return ReferralListResponse(referrals: shown, unverified: unverified)
            }
            entry.event.detail["listed"] = String(answer.referrals.count)
            if answer.unverified > 0 {
                entry.event.detail["integrity"] = "\(answer.unverified) referral index rows disagree with their records"
            }
            return pipeline.answer(ctx, entry, answer)
        }
    }

    /// `haven referral show REF`: the referral and, where the caller may see them, its steps.
    public func show(_ ctx: RequestContext, ref rawRef: String) -> EventLoopFuture<ReferralDetail> {
        var entry = pipeline.begin("referral.show", ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<ReferralDetail> in
            let user = try pipeline.caller(ctx, &entry)
            let ref = try ReferralID(rawRef)
            entry.event.detail["referral"] = ref.rawValue
            let policy = pipeline.policies.policy
            let subject = RequestPipeline.subject(of: user)
            let now = pipeline.clock.now()
            let logger = pipeline.logger
            let answer = try pipeline.readSnapshot { (view) throws(HavenError) -> ReferralDetail in
                guard let row = try storeCall(logger, { try ReferralTable.get(ref.rawValue, on: view.db) }) else {
                    throw Self.noSuchReferral(ref)
                }
                guard let (opened, referral) = try verified(row, in: view, policy: policy) else {
                    throw HavenError.integrityFinding("the referral index row of \(ref) disagrees with record \(row.record)")
                }
                entry.event.record = opened.header.id.rawValue
                let decision = policy.decideReferral(.view, by: subject, referral: ref, record: opened.facts, now: now)
                guard let party = policy.referralParty(subject, referral) else {
                    // Audited as the refusal it is; answered as for a referral that does not
                    // exist, so the reference tells someone with no part in it nothing.
                    entry.note(decision)
                    throw Self.noSuchReferral(ref)
                }
                try RequestPipeline.require(decision, &entry)
                var summary = Self.summary(referral, record: opened.header.id, for: party)
                CaseNumbers(keys: changes.keys, logger: logger).label(&summary, record: opened.header.id, on: view.db)
                guard Self.seesEverything(referral, party) else { return ReferralDetail(referral: summary, steps: []) }
                let steps = try HistoryRows(record: opened, db: view.db, logger: logger).referralEvents()
                    .filter { $0.referral == ref }
                    .map { e in
                        ReferralDetail.Step(kind: e.kind.rawValue, by: e.by.rawValue, at: e.at.rfc3339, text: e.text, note: e.note,
                                            assignee: e.assignee?.rawValue)
                    }
                return ReferralDetail(referral: summary, steps: steps)
            }
            return pipeline.answer(ctx, entry, answer)
        }
    }

    /// The record and referral an index row points to, if the record's sealed header holds
    /// the referral exactly as the row says; nil for a row that disagrees (or a record that
    /// no longer opens), which is never shown.
    private func verified(_ row: StoredReferral, in view: StoreView,
                          policy: Policy) throws(HavenError) -> (OpenedRecord, Referral)? {
        guard let id = try? RecordID(row.record), let ref = try? ReferralID(row.id) else { return nil }
        let opened: OpenedRecord
        do {
            opened = try pipeline.opener.open(id, in: view, policy: policy)
        } catch {
            // A record that fails its checks, or is gone, is not shown; a store that cannot be
            // read, or a snapshot that raced a commit, fails the whole answer (to be retried).
            if error == RequestPipeline.snapshotRaced { throw error }
            guard [.integrityError, .notFound, .erased, .conflict].contains(error.code) else { throw error }
            return nil
        }
        guard let referral = opened.header.referral(ref), referral.from.rawValue == row.from, referral.to.rawValue == row.to,
              referral.service == row.service, referral.status.rawValue == row.status else { return nil }
        return (opened, referral)
    }

    /// The sender sees its referral whole; the receiving desk and the assignee only while
    /// it stands accepted.
    static func seesEverything(_ r: Referral, _ party: ReferralParty) -> Bool {
        party == .sender || r.status == .accepted
    }

    /// The answer for a referral that does not exist, and for one the caller has no part in.
    static func noSuchReferral(_ ref: ReferralID) -> HavenError {
        HavenError.notFound("no referral \(ref)")
    }

    static func summary(_ r: Referral, record: RecordID, for party: ReferralParty) -> ReferralSummary {
        let whole = seesEverything(r, party)
        return ReferralSummary(ref: r.id.rawValue, service: r.service, from: r.from.rawValue, to: r.to.rawValue,
                               status: r.status.rawValue, createdAt: r.createdAt.rfc3339, updatedAt: r.updatedAt.rfc3339,
                               record: whole ? record.rawValue : nil, createdBy: whole ? r.createdBy.rawValue : nil,
                               assignee: whole ? r.assignee?.rawValue : nil)
    }
}
