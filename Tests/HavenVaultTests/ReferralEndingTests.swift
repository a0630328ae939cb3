import Foundation
import HavenAPI
import HavenCore
@testable import HavenVault
import Testing

/// A referral ends with the consent it rests on: which consent changes end it, and the
/// service doing it in the withdrawal's own write, as the sealed header then holds it.
@Suite struct ReferralEndingTests {
    /// A withdrawal always ends them; a grant ends those that rested on a lapsed grant, never
    /// those of a grant that still holds (an extension).
    @Test func whichConsentChangesEndAReferral() {
        let t = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        let cases: [(ConsentEvent.Kind, ConsentStatus, String?)] = [
            (.withdraw, .granted(expiresAt: nil), "consent withdrawn"), (.withdraw, .expired, "consent withdrawn"),
            (.withdraw, .never, "consent withdrawn"), (.grant, .granted(expiresAt: t), nil), (.grant, .granted(expiresAt: nil), nil),
            (.grant, .expired, "consent expired"), (.grant, .withdrawn, "consent withdrawn"), (.grant, .never, "consent not granted"),
        ]
        for (kind, before, want) in cases {
            #expect(ReferralEnding.reason(kind, before: before) == want, "\(kind) over \(before)")
        }
    }

    @Test func aWithdrawalRevokesInItsOwnWriteAndAGrantDoesNotRevive() throws {
        let h = try ServiceHarness()
        let id = try RecordServicesTests.create(h)
        func consent(_ flag: String, _ action: String) throws -> UInt64 {
            try h.vault.consent.change(h.ctx("ana"), id: id, request: ConsentChangeRequest(flag: flag, action: action, evidence: nil,
                                                                                          expires: nil)).wait().version
        }
        _ = try consent("shelter", "grant")
        let referrals = h.vault.referrals
        let made = try referrals.create(h.ctx("ana"), id: id, request: ReferralCreateRequest(
            to: "lwu-shelter-vientiane", service: "shelter", purpose: "safe housing", note: nil)).wait()
        let accepted = try referrals.change(h.ctx("phet"), ref: made.ref, .accept, request: ReferralStepRequest()).wait()
        // One version: the withdrawal and the revocation are one change of the record.
        #expect(try consent("shelter", "withdraw") == accepted.version + 1)
        _ = try consent("shelter", "grant")
        let shown = try referrals.show(h.ctx("ana"), ref: made.ref).wait()
        #expect(shown.referral.status == "revoked" && shown.steps.map(\.kind) == ["create", "accept", "revoke"])
        #expect(shown.steps.last?.text == "consent withdrawn" && shown.steps.last?.by == "ana")
        let incoming = try referrals.list(h.ctx("phet"), incoming: true, status: "accepted").wait()
        #expect(incoming.referrals.isEmpty && incoming.unverified == 0)
    }
}
