import HavenCore
import HavenPolicy

/// The referrals a consent change ends, as part of that change: a referral shares the
/// survivor's record with another agency on the strength of one consent flag, and ends
/// with it. A withdrawal revokes every referral resting on the flag (pending or accepted)
/// in the same write, so no later grant can bring one back — a new grant needs a new
/// referral, accepted again. An expiry writes nothing when it passes (reach through the
/// referral is refused from then on, as the consent is checked at every request); the
/// next grant of the flag then revokes what rested on the lapsed one, before it counts.
enum ReferralEnding {
    static let withdrawn = "consent withdrawn"

    /// The reason the referrals resting on `flag` end when `kind` is recorded over a flag
    /// that stood at `before`; nil when they go on (a grant extending one that holds).
    static func reason(_ kind: ConsentEvent.Kind, before: ConsentStatus) -> String? {
        switch (kind, before) {
        case (.withdraw, _): withdrawn
        case (.grant, .granted): nil
        case (.grant, .expired): "consent expired"
        case (.grant, .withdrawn): withdrawn
        case (.grant, .never): "consent not granted"
        }
    }

    /// Revokes in `header` the live referrals resting on `flag`, each with a sealed step
    /// giving `reason` and its index row; the audit entry names them.
    static func revoke(resting flag: ConsentFlag, reason: String, header: inout RecordHeader, opened: OpenedRecord,
                       by user: UserName, at now: Timestamp, policy: Policy, into change: inout RecordChange) {
        let ended = policy.referralsResting(on: flag, in: header.referrals)
        guard !ended.isEmpty else { return }
        for var referral in ended {
            referral.status = .revoked
            referral.updatedBy = user
            referral.updatedAt = now
            let index = header.recordReferral(referral)
            let event = ReferralEvent(referral: referral.id, kind: .revoke, by: user, at: now, service: referral.service,
                                      to: referral.to, text: reason)
            change.referralEvents.append((index, opened.cipher.sealReferralEvent(event, index: index)))
            change.referrals.append((ReferralService.indexRow(referral, record: header.id), false))
        }
        change.detail["referrals_revoked"] = ended.map(\.id.rawValue).joined(separator: " ")
        change.detail["referrals_revoked_reason"] = reason
    }
}
