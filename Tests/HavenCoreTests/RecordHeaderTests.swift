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
}
