import HavenCore
import HavenStore

extension BackupService {
    /// A journaled withdrawal applied again as a new consent event, by its original author,
    /// ending the referrals that rest on the flag as the withdrawal did; nothing when the
    /// flag stands withdrawn already.
    func withdraw(_ flag: ConsentFlag, of id: RecordID, by user: UserName, _ tx: WriteTransaction,
                  _ entry: inout AuditEntryDraft) throws(HavenError) -> Bool {
        let policy = pipeline.policies.policy
        let opened = try pipeline.opener.open(id, in: .writer(tx.db), policy: policy)
        if case .withdrawn = opened.header.consent.status(of: flag, at: tx.now) { return false }
        _ = try changes.write(tx, &entry, id: id, by: user, policy: policy, decide: nil) { (header, opened, now) throws(HavenError) -> RecordChange in
            let before = header.consent.status(of: flag, at: now)
            let event = ConsentEvent(flag: flag, kind: .withdraw, recordedBy: user, recordedAt: now, evidence: nil, expiresAt: nil)
            let index = header.consent.append(event)
            var change = RecordChange(consentEvent: (index, opened.cipher.sealConsentEvent(event, index: index)))
            if let reason = ReferralEnding.reason(.withdraw, before: before) {
                ReferralEnding.revoke(resting: flag, reason: reason, header: &header, opened: opened, by: user, at: now,
                                      policy: policy, into: &change)
            }
            return change
        }
        return true
    }

    /// A journaled end of a referral (revoked, closed, declined) applied again as the same
    /// step by its original author; nothing when the referral has ended already (or the
    /// archive never had it). Without it a restore would bring the referral back pending or
    /// accepted, and the receiving agency would reach the record again.
    func end(_ ref: ReferralID, of id: RecordID, as status: ReferralStatus, _ step: ReferralEvent.Kind, by user: UserName,
             original: Timestamp, _ tx: WriteTransaction, _ entry: inout AuditEntryDraft) throws(HavenError) -> Bool {
        let policy = pipeline.policies.policy
        let opened = try pipeline.opener.open(id, in: .writer(tx.db), policy: policy)
        guard let current = opened.header.referral(ref), current.status == .pending || current.status == .accepted else { return false }
        _ = try changes.write(tx, &entry, id: id, by: user, policy: policy, decide: nil) { (header, opened, now) throws(HavenError) -> RecordChange in
            guard var referral = header.referral(ref) else { throw HavenError.notFound("no referral \(ref)") }
            referral.status = status
            referral.updatedBy = user
            referral.updatedAt = now
            let index = header.recordReferral(referral)
            let event = ReferralEvent(referral: ref, kind: step, by: user, at: now, service: referral.service, to: referral.to,
                                      text: "\(status.rawValue) on \(original.rfc3339); applied again at a restore")
            return RecordChange(referralEvents: [(index, opened.cipher.sealReferralEvent(event, index: index))],
                                referrals: [(ReferralService.indexRow(referral, record: id), false)])
        }
        return true
    }
}
