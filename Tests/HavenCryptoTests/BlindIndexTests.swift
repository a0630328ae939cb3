import HavenCore
@testable import HavenCrypto
import HavenTestSupport
import Testing

/// The blind index: equal forms meet at one agency, it is keyed by the vault, the agency and
/// the field, and it is as wide as it says, so each value stands for several records.
@Suite struct BlindIndexTests {
    let root = RootKey.generate()

    @Test func equalFormsHaveEqualValuesAndTheValueFitsItsBits() {
        let index = BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "survivor_name", bits: 16)
        let again = BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "survivor_name", bits: 16)
        #expect(index.value("nguyenthiha") == again.value("nguyenthiha"))
        for form in ["a", "nguyenthiha", "ສົມພອນ", "02055512345"] { #expect(index.value(form) < 1 << 16) }
    }

    @Test func anotherVaultAnotherAgencyOrAnotherFieldGivesOtherValues() {
        let forms = (0..<64).map { "name\($0)" }
        let here = BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "survivor_name", bits: 32)
        let elsewhere = BlindIndex(rootKey: RootKey.generate(), agency: "ossc-vientiane", field: "survivor_name", bits: 32)
        let otherAgency = BlindIndex(rootKey: root, agency: "lwu-shelter-vientiane", field: "survivor_name", bits: 32)
        let otherField = BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "phone", bits: 32)
        #expect(forms.filter { here.value($0) == elsewhere.value($0) }.isEmpty)
        #expect(forms.filter { here.value($0) == otherAgency.value($0) }.isEmpty)
        #expect(forms.filter { here.value($0) == otherField.value($0) }.isEmpty)
    }

    /// The agency and the field are framed, not joined: agency `a-b` with field `c` is not
    /// agency `a` with field `b-c`, nor format 1's key of the field alone.
    @Test func theAgencyAndFieldCannotBeShiftedIntoOneAnother() {
        let forms = (0..<64).map { "name\($0)" }
        let one = BlindIndex(rootKey: root, agency: "a-b", field: "c", bits: 32)
        let other = BlindIndex(rootKey: root, agency: "a", field: "b-c", bits: 32)
        let empty = BlindIndex(rootKey: root, agency: "", field: "a-bc", bits: 32)
        #expect(forms.filter { one.value($0) == other.value($0) || one.value($0) == empty.value($0) }.isEmpty)
    }

    /// At 10 bits, 100,000 distinct values land about 98 to a bucket: the index never singles
    /// out one value, and no bucket is much fuller or emptier than chance allows. A fixed key
    /// (the format vectors'), so the counts are the same on every run; with 1,024 buckets of
    /// about 98 ± 10, the extremes lie near ±35%, inside the ±50% asked.
    @Test func valuesSpreadEvenlySoEachStandsForSeveral() throws {
        let fixed = try RootKey(material: SecureBytes(copying: Array(0..<32)))
        let index = BlindIndex(rootKey: fixed, agency: "ossc-vientiane", field: "phone", bits: 10)
        var buckets = [Int](repeating: 0, count: 1 << 10)
        for n in 0..<100_000 { buckets[Int(index.value(String(20_5551_0000 + n)))] += 1 }
        let expected = 100_000.0 / 1024.0
        #expect(buckets.allSatisfy { Double($0) > expected * 0.5 && Double($0) < expected * 1.5 }, "\(buckets.min()!)…\(buckets.max()!)")
    }
}
