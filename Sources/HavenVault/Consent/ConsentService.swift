import HavenAPI
import HavenAudit
import HavenCore
import HavenPolicy
import HavenStore
import NIOCore

/// Consent (`vault.consent`): the survivor's grants and withdrawals, recorded as changes of
/// the record (so the next decision on it already sees them), and shown with their history.
public struct ConsentService: Sendable {
    let pipeline: RequestPipeline
    let changes: RecordChanges
    /// How many consent events one record may hold.
    let historyLimits: HistoryLimits

    /// `consent.record`: appends a grant or withdrawal to the record's consent history.
    /// It takes effect for every request decided after this one commits. In the same write,
    /// a withdrawal revokes the referrals resting on the flag, and a grant over a lapsed one
    /// revokes those that rested on it (`ReferralEnding`).
    public func change(_ ctx: RequestContext, id rawID: String, request: ConsentChangeRequest) -> EventLoopFuture<RecordWriteResponse> {
        pipeline.handle(Action.consentRecord.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            guard let flag = ConsentFlag(rawValue: request.flag) else {
                throw HavenError(.invalidValue, "unknown consent flag '\(NameRules.printable(request.flag))'",
                                 hint: CloseMatches.question(request.flag, among: ConsentFlag.allCases.map(\.rawValue))
                                     + "one of: \(ConsentFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let kind = ConsentEvent.Kind(rawValue: request.action) else {
                throw HavenError(.invalidValue, "consent action must be grant or withdraw")
            }
            entry.event.detail["flag"] = flag.rawValue
            entry.event.detail["consent"] = kind.rawValue
            if let evidence = request.evidence { try ConsentEvidence.validate(evidence) }
            let now = pipeline.clock.now()
            let expiry = try request.expires.map { (raw) throws(HavenError) -> Timestamp in
                guard kind == .grant else { throw HavenError(.invalidValue, "only a grant can expire") }
                let t = try Self.expiry(raw)
                // A grant that is already over, or that outlives the century, is almost always a
                // typo in the year; and a year past 2100 would not read back (`DateBounds`).
                guard t > now else { throw HavenError(.invalidValue, "the expiry \(t.rfc3339) is in the past") }
                guard t <= DateBounds.end else {
                    throw HavenError(.invalidValue, "the expiry must be no later than 2100-12-31")
                }
                return t
            }
            entry.event.detail["expires"] = expiry?.rfc3339
            let subject = RequestPipeline.subject(of: user)
            let evidence = request.evidence
            let limits = historyLimits
            let policy = pipeline.policies.policy
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .consentRecord, record: facts, now: now)
            }, apply: { (header, opened, now) throws(HavenError) -> RecordChange in
                try limits.checkConsentEvent(after: header.consent.count)
                let before = header.consent.status(of: flag, at: now)
                let event = ConsentEvent(flag: flag, kind: kind, recordedBy: subject.user, recordedAt: now,
                                         evidence: evidence, expiresAt: expiry)
                let index = header.consent.append(event)
                var change = RecordChange(consentEvent: (index, opened.cipher.sealConsentEvent(event, index: index)))
                if let reason = ReferralEnding.reason(kind, before: before) {
                    ReferralEnding.revoke(resting: flag, reason: reason, header: &header, opened: opened, by: subject.user, at: now,
                                          policy: policy, into: &change)
                }
                return change
            }).flatMapThrowing {
                try pipeline.journaled($0, kind == .withdraw ? .consentWithdrawn(record: id, flag: flag) : nil, by: subject.user, keys: changes.keys)
            }
        }
    }

    /// A bare date means the grant holds through that whole day (UTC); a time is exact.
    static func expiry(_ raw: String) throws(HavenError) -> Timestamp {
        guard let t = Timestamp(parsing: raw), DateBounds.contains(t) else {
            throw HavenError(.invalidValue, "invalid expiry '\(NameRules.printable(raw))'",
                             hint: "use a date (2027-06-30) or an RFC 3339 time, \(DateBounds.description)")
        }
        return raw.utf8.count == 10 ? t.adding(milliseconds: 86_400_000) : t
    }

    /// `consent.read`: each flag's state now, and one page of the history with evidence
    /// (`before`, `limit`: `HistoryPage`).
    public func show(_ ctx: RequestContext, id rawID: String, before: UInt64? = nil,
                            limit: Int? = nil) -> EventLoopFuture<ConsentResponse> {
        pipeline.handle(Action.consentRead.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<ConsentResponse> in
            entry.event.purpose = "consent review"
            let policy = pipeline.policies.policy
            let (opener, logger) = (pipeline.opener, pipeline.logger)
            let now = pipeline.clock.now()
            let answer = try pipeline.readSnapshot { (view) throws(HavenError) -> ConsentResponse in
                let opened = try opener.open(id, in: view, policy: policy)
                let decision = policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .consentRead,
                                                           record: opened.facts, purpose: "consent review", now: now))
                try RequestPipeline.require(decision, &entry)
                let consent = opened.header.consent
                let page = try HistoryPage(total: consent.count, before: before, limit: limit, what: "history")
                let history = try HistoryRows(record: opened, db: view.db, logger: logger).consentEvents(page)
                return ConsentResponse(
                    id: id.rawValue,
                    flags: ConsentFlag.allCases.map { flag in
                        let status = consent.status(of: flag, at: now)
                        var expires: String?
                        if case .granted(let e) = status { expires = e?.rfc3339 }
                        return .init(flag: flag.rawValue, state: status.description, expiresAt: expires)
                    },
                    history: history.map { index, e in
                        .init(index: index, flag: e.flag.rawValue, kind: e.kind.rawValue, recordedBy: e.recordedBy.rawValue,
                              recordedAt: e.recordedAt.rfc3339, evidence: ConsentEvidence.shown(e.evidence),
                              expiresAt: e.expiresAt?.rfc3339)
                    },
                    historyTotal: consent.count)
            }
            return pipeline.answer(ctx, entry, answer)
        }
    }
}
