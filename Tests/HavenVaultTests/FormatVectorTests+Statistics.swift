import Foundation
import HavenCore
@_spi(FormatVectors) import HavenCrypto
import HavenStats
import Testing

/// The statistics formats' vectors: a record's contribution and a year's release, each in
/// its sealed box (HavenStore FORMAT.md, "statistics" and "statistics releases").
extension FormatVectorTests {
    /// A record's statistics: the format-1 bytes, and their box under the statistics key with
    /// the row's state tag bound in; it does not open under another tag or record.
    @Test func recordStatisticsBytesAndBox() throws {
        let s = v.record_statistics
        #expect(root.derive(.statistics, version: 1).withUnsafeBytes { Array($0) } == [UInt8](hex: s.key))
        var values = [StatisticsDimension: String]()
        for (d, code) in zip(StatisticsDimension.recorded, s.values) { values[d] = code }
        let stats = RecordStatistics(month: try #require(ReportingMonth(s.month)), consent: true, consentExpires: s.consent_expires,
                                     reportedElsewhere: false, values: values)
        #expect(stats.encoded() == [UInt8](hex: s.plaintext))
        let seal = StatisticsSeal(vault: try VaultID(v.vault_id), rootKey: root)
        let record = try RecordID(v.record_id)
        let tag = try #require(Tag16([UInt8](hex: s.row_tag)))
        #expect(seal.seal(stats.encoded(), record: record, rowTag: tag, fixedNonce: [UInt8](hex: s.nonce)) == [UInt8](hex: s.box))
        let box = [UInt8](hex: s.box)
        let id = Array(v.record_id.utf8)
        let otherTag = try #require(Tag16([UInt8](repeating: 7, count: 16)))
        let otherID = Array(RecordID(bytes: [UInt8](repeating: 1, count: 16)).rawValue.utf8)
        // It opens under its own record and tag only; one opener serves many boxes, in any order.
        let opener = seal.opener()
        for (record, rowTag, opens) in [(otherID, tag, false), (id, tag, true), (id, otherTag, false), (id, tag, true)] {
            let plain = box.withUnsafeBytes { b in
                record.withUnsafeBytes { r in try? opener.open(b, record: r, rowTag: rowTag) { Array($0) } }
            }
            #expect(plain == (opens ? [UInt8](hex: s.plaintext) : nil))
        }
    }

    /// A year's statistics release sealed under the release key, with the vault and the year
    /// bound in: it opens as its own year only, and not at all once a byte is changed.
    @Test func statisticsReleaseBox() throws {
        let r = v.statistics_release
        #expect(root.derive(.statisticsRelease, version: 1).withUnsafeBytes { Array($0) } == [UInt8](hex: r.key))
        let seal = ReleaseSeal(vault: try VaultID(v.vault_id), rootKey: root)
        let box = [UInt8](hex: r.box)
        #expect(seal.seal([UInt8](hex: r.plaintext), year: r.year, fixedNonce: [UInt8](hex: r.nonce)) == box)
        #expect(try seal.open(box, year: r.year) == [UInt8](hex: r.plaintext))
        #expect(throws: CryptoError.authenticationFailure) { try seal.open(box, year: r.year - 1) }
        let otherVault = ReleaseSeal(vault: try VaultID("ffeeddccbbaa99887766554433221100"), rootKey: root)
        #expect(throws: CryptoError.authenticationFailure) { try otherVault.open(box, year: r.year) }
        // Another box of the same vault and year (a record's statistics) never opens as a release.
        #expect(throws: CryptoError.authenticationFailure) { try seal.open([UInt8](hex: v.record_statistics.box), year: r.year) }
        for i in [0, 4, 5, 29, box.count - 1] {
            var flipped = box
            flipped[i] ^= 0x01
            #expect(throws: CryptoError.authenticationFailure) { try seal.open(flipped, year: r.year) }
        }
    }
}
