import HavenCore
import HavenCrypto
@testable import HavenVault
import Testing

/// The pieces a statistics query splits and gathers its scan with: every record id falls in
/// exactly one part, however many cores; groups counted in parts add up to the same counts.
@Suite struct StatisticsScanTests {
    @Test func everyRecordIdFallsInExactlyOnePart() {
        let ids = (0..<2_000).map { _ in RecordID(bytes: Random.bytes(16)).rawValue }
            + ["2" + String(repeating: "a", count: 25), "z" + String(repeating: "a", count: 25), String(repeating: "7", count: 26)]
        for cores in [1, 2, 3, 4, 8, 16] {
            let parts = StatisticsScan.parts(cores)
            #expect(parts.count == min(cores, 8))
            for id in ids { #expect(parts.filter { $0.contains(id) }.count == 1, "\(id) with \(cores) parts") }
        }
    }

    @Test func groupsCountedInPartsAddUpToTheSameCounts() {
        let groups: [(UInt8, [UInt8])] = [(3, [1, 2, 3]), (3, [1, 2, 4]), (4, [1, 2, 3]), (3, []), (3, [1, 2, 3])]
        var whole = GroupCounter()
        var a = GroupCounter(), b = GroupCounter()
        for (i, (month, values)) in groups.enumerated() {
            values.withUnsafeBytes { whole.add(month: month, values: $0) }
            values.withUnsafeBytes { i % 2 == 0 ? a.add(month: month, values: $0) : b.add(month: month, values: $0) }
        }
        a.merge(b)
        func counts(_ c: GroupCounter) -> [[UInt8]: Int] { Dictionary(uniqueKeysWithValues: zip(c.groups, c.counts)) }
        #expect(counts(a) == counts(whole))
        #expect(counts(whole) == [[3, 1, 2, 3]: 2, [3, 1, 2, 4]: 1, [4, 1, 2, 3]: 1, [3]: 1])
    }
}
