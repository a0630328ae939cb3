import Foundation
import HavenCore
import Testing

@Suite struct RecordHeaderTests {
    let alice = try! UserName("alice")
    let bob = try! UserName("bob")

    func sample() throws -> RecordHeader {
        var h = RecordHeader(id: RecordID(bytes: Array(0..<16)), type: try RecordTypeName("gbv_incident"),
                             agency: try AgencyName("ossc-vte"), createdAt: Timestamp(millisecondsSinceEpoch: 1_790_000_000_123),
                             createdBy: alice, assignees: [bob, alice, bob],
                             fieldVersions: [try FieldName("survivor_name"): 2, try FieldName("address"): 1])
        h.consent.append(ConsentEvent(flag: .police, kind: .grant, recordedBy: alice,
                                      recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_001_000),
                                      evidence: "form \"12\"\n", expiresAt: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)))
        h.consent.append(ConsentEvent(flag: .health, kind: .withdraw, recordedBy: bob,
                                      recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_002_000)))
        _ = h.addNote(.counselling, by: bob, at: Timestamp(millisecondsSinceEpoch: 5))
        return h
    }

    @Test func canonicalJSONRoundTripsExactly() throws {
        let h = try sample()
        let bytes = h.canonicalJSON()
        let back = try RecordHeader(canonicalJSON: bytes)
        #expect(back == h)
        #expect(back.canonicalJSON() == bytes)
    }

    /// The header holds counts and the latest event of each flag, never the history itself.
    @Test func theHeaderHoldsCountsAndTheLatestEventOfEachFlag() throws {
        var h = try sample()
        for i in 0..<500 {
            h.consent.append(ConsentEvent(flag: .police, kind: i % 2 == 0 ? .withdraw : .grant, recordedBy: alice,
                                          recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_003_000 + Int64(i))))
            _ = h.addNote(.incident, by: alice, at: Timestamp(millisecondsSinceEpoch: 6))
        }
        let fresh = try sample().canonicalJSON().count
        #expect(h.canonicalJSON().count < fresh + 16)
        let back = try RecordHeader(canonicalJSON: h.canonicalJSON())
        #expect(back.noteCount == 501 && back.consent.count == 502 && back.consent.latest[.police]?.kind == .grant)
    }

    @Test func assigneesAreSortedAndUnique() throws {
        #expect(try sample().assignees == [alice, bob])
    }

    @Test func malformedHeaderIsAnIntegrityError() {
        #expect(throws: HavenError.integrity) { try RecordHeader(canonicalJSON: Array("{\"v\":1}".utf8)) }
    }

    /// Every field of the header is checked for its type and syntax, not only its presence.
    @Test func everyWrongTypeOrValueIsAnIntegrityError() throws {
        let text = String(decoding: try sample().canonicalJSON(), as: UTF8.self)
        let breakages: [(String, String)] = [
            (#""v":2"#, #""v":3"#), (#""version":1"#, #""version":-1"#), (#""version":1"#, #""version":1.5"#),
            (#""version":1"#, #""version":"1""#), (#""status":"open""#, #""status":"deleted""#),
            (#""kind":"grant""#, #""kind":"maybe""#), (#""flag":"police""#, #""flag":"neighbours""#),
            (#""evidence":"#, #""evidenc":"#), (#""expires_at":"#, #""expires":"#),
            (#""created_by":"alice""#, #""created_by":"Al ice!""#), (#""notes":1"#, #""notes":-1"#),
            (#""notes":1"#, #""notes":"1""#), (#""events":2"#, #""events":1.5"#), (#""events":2"#, #""events":1"#),
            (#""latest":["#, #""latest":{"#), (#""flag":"health""#, #""flag":"police""#),
            (#""survivor_name":2"#, #""survivor_name":"2""#), (#""assignees":["#, #""assignees":[1,"#),
            (#""created_at":""#, #""created_at":"yesterday"#), (#""recorded_by":"bob""#, #""recorded_by":false"#),
        ]
        for (from, to) in breakages {
            let broken = text.replacingOccurrences(of: from, with: to)
            #expect(broken != text, "\(from) is not in the header")
            #expect(throws: HavenError.integrity, "\(to)") { try RecordHeader(canonicalJSON: Array(broken.utf8)) }
        }
    }
}
