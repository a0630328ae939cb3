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
        h.notes.append(NoteMetadata(index: 1, fieldClass: .counselling, author: bob, createdAt: Timestamp(millisecondsSinceEpoch: 5)))
        return h
    }

    @Test func canonicalJSONRoundTripsExactly() throws {
        let h = try sample()
        let bytes = h.canonicalJSON()
        let back = try RecordHeader(canonicalJSON: bytes)
        #expect(back == h)
        #expect(back.canonicalJSON() == bytes)
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
            (#""v":1"#, #""v":2"#), (#""version":1"#, #""version":-1"#), (#""version":1"#, #""version":1.5"#),
            (#""version":1"#, #""version":"1""#), (#""status":"open""#, #""status":"deleted""#),
            (#""kind":"grant""#, #""kind":"maybe""#), (#""flag":"police""#, #""flag":"neighbours""#),
            (#""evidence":"#, #""evidenc":"#), (#""expires_at":"#, #""expires":"#),
            (#""created_by":"alice""#, #""created_by":"Al ice!""#), (#""class":"counselling""#, #""class":"gossip""#),
            (#""survivor_name":2"#, #""survivor_name":"2""#), (#""assignees":["#, #""assignees":[1,"#),
            (#""created_at":""#, #""created_at":"yesterday"#), (#""index":1"#, #""index":null"#),
            (#""recorded_by":"bob""#, #""recorded_by":false"#),
        ]
        for (from, to) in breakages {
            let broken = text.replacingOccurrences(of: from, with: to)
            #expect(broken != text, "\(from) is not in the header")
            #expect(throws: HavenError.integrity, "\(to)") { try RecordHeader(canonicalJSON: Array(broken.utf8)) }
        }
    }
}
