import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// What the record page needed of the API: a whole-record read names the record's
    /// assignees to its own agency, and to no one else (as `record list` does).
    @Suite struct WebRecordReadAPITests {
        @Test func aWholeReadNamesTheAssigneesOnlyToTheRecordsAgency() throws {
            let v = try TestVault()
            try v.enrol("shelter-desk", role: "intake", agency: "lwu-shelter-vientiane")
            let id = try v.createRecord(["survivor_name": "Assignee Check", "incident_type": "rape"], assign: ["counsellor"])
            let whole = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review"])
            #expect(whole.assignees == ["counsellor"])
            let named = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "case review",
                                                                            "--fields", "survivor_name"])
            #expect(named.assignees == nil)
            // Referred and accepted: the shelter reads the record, but not who works it at the OSSC.
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let made = try v.json(ReferralWriteResponse.self, as: "intake", ["referral", "create", id, "--to", "lwu-shelter-vientiane",
                                                                              "--service", "shelter", "--purpose", "safe housing"])
            try v.expectOK(as: "shelter-desk", ["referral", "accept", made.ref])
            let theirs = try v.json(ReadRecordResponse.self, as: "shelter-desk", ["record", "get", id, "--purpose", "shelter intake"])
            #expect(theirs.assignees == nil)
        }
    }
}
