import HavenCore
@_spi(FormatVectors) import HavenCrypto
import HavenStore
import HavenTestSupport
import HavenVault
import Testing

extension FormatVectorTests {
    /// A later hand-over (`assign`, a kind added after the first vector) seals as the same row.
    @Test func sealedReferralAssignEvent() throws {
        let r = v.referral_event_assign
        let event = ReferralEvent(referral: try ReferralID("aaaqeayeaudaocaj"), kind: .assign, by: try UserName("shelter-desk"),
                                  at: Timestamp(millisecondsSinceEpoch: 1_790_000_290_000), service: "shelter",
                                  to: try AgencyName("lwu-shelter-vientiane"), assignee: try UserName("noy"))
        let cipher = RecordCipher(vault: vault, record: try RecordID(v.record_id), dataKey: SecureBytes(hex: r.data_key),
                                  dataKeyVersion: 1)
        #expect(String(decoding: event.canonicalJSON(), as: UTF8.self) == r.plaintext)
        #expect(Hex.encode(cipher.sealReferralEvent(event, index: r.index, fixedNonce: [UInt8](hex: r.nonce))) == r.box)
        #expect(try [UInt8](hex: r.box).withUnsafeBytes { try cipher.openReferralEvent(index: r.index, box: $0) } == event)
    }
}
