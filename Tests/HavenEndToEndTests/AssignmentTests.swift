import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Assignments with the real binaries, socket and SQLite file (issue 32, items 2 and 3):
    /// a removed assignee is refused at her next request even on a session she kept open; an
    /// assignment row a file-writer adds for another agency's user opens nothing and is named
    /// at the next start; and a shelter's listing pages through its own records and the
    /// records referred to it alike.
    @Suite struct AssignmentTests {
        static let shelter = "lwu-shelter-vientiane"

        @Test func theRemovedAssigneeIsRefusedAtHerNextRequestOnTheSessionSheKeptOpen() async throws {
            let v = try TestVault()
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            let id = try v.createRecord(["survivor_name": "Handed Over", "incident_type": "rape"], assign: ["counsellor2"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let c = try await RawConnection.authenticated(v.socket, key: try v.signingKey("counsellor2"))
            let read = FuzzCorpus.request("POST", "/v1/records/\(id)/read", body: #"{"purpose":"case review"}"#)
            let before = try #require(await c.exchange(read))
            #expect(before.status == 200 && before.text.contains("Handed Over"), "\(before.text)")

            try v.expectOK(as: "intake", ["record", "unassign", id, "counsellor2"])
            let after = try #require(await c.exchange(read))
            #expect(after.status == 403 && after.text.contains("record not assigned to counsellor2"), "\(after.text)")
            #expect(!after.text.contains("Handed Over"))
            let list = try #require(await c.exchange(FuzzCorpus.request("GET", "/v1/records?order=newest")))
            #expect(list.status == 200 && !list.text.contains(id), "\(list.text)")
            await c.close()

            // The removal and the refusal that followed are both in the record's audit chain.
            let chain = try v.auditLog(["--record", id]).filter { $0.actor?.user != "auditor" }
            #expect(chain.map { "\($0.action) \($0.decision) \($0.actor?.user ?? "")" }.suffix(3)
                    == ["record.read allow counsellor2", "record.unassign allow intake", "record.read deny counsellor2"], "\(chain.map(\.action))")
            let removal = try #require(chain.first { $0.action == "record.unassign" })
            #expect(removal.detail["unassigned"] == "counsellor2" && removal.rule.contains("remove an assignee"), "\(removal.rule)")
            let header = try v.json(RecordListResponse.self, as: "intake", ["record", "list"]).records.first { $0.id == id }
            #expect(header?.assignees == [], "\(String(describing: header))")
            // The index rows changed with the sealed header: the next start finds nothing to repair.
            v.stop()
            try v.start()
            #expect(try DerivedRowsTamperTests.entries(v, "vault.repair").isEmpty)
            #expect(try v.haven(as: "counsellor2", ["record", "get", id, "--purpose", "case review"]).status == 3)
        }

        /// A leaver is removed by any assigner, decided on the user as enrolled now (revoked).
        @Test func aRevokedAssigneeIsRemovedAsALeaver() throws {
            let v = try TestVault()
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            let id = try v.createRecord(["survivor_name": "Left Behind", "incident_type": "rape"], assign: ["counsellor2"])
            try v.expectOK(as: "admin", ["user", "revoke", "counsellor2"])
            try v.expectOK(as: "intake", ["record", "unassign", id, "counsellor2"])
            let removal = try #require(try v.auditLog(["--record", id]).last { $0.action == "record.unassign" })
            #expect(removal.decision == "allow" && removal.rule.contains("no longer an active user"), "\(removal.rule)")
        }

        @Test func anAssignmentRowAFileWriterAddsForAnotherAgencysUserOpensNothing() throws {
            let v = try TestVault()
            try v.enrol("counsellor-lp", role: "counsellor", agency: "ossc-luang-prabang")
            let id = try v.createRecord(["survivor_name": "Not Theirs", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            // Through the API the assignment is refused, with the way to refer, and audited so;
            // the refusal names the record's agency, never the one the user is of.
            let refused = try v.haven(as: "intake", ["record", "assign", id, "counsellor-lp"])
            #expect(refused.status == 3 && refused.stderr.contains("counsellor-lp is not a user of this record's agency (ossc-vientiane)")
                    && refused.stderr.contains("create a referral: haven referral create ID --to AGENCY"), "\(refused)")
            #expect(!refused.stderr.contains("luang-prabang"), "\(refused)")
            let denial = try #require(try v.auditLog(["--record", id]).last { $0.action == "record.assign" })
            #expect(denial.decision == "deny" && denial.detail["assigned"] == "counsellor-lp"
                    && denial.rule == "counsellor-lp is not a user of this record's agency (ossc-vientiane)", "\(denial.rule)")
            // With the daemon running: the index row is only an index, the sealed header decides.
            try v.execute("INSERT INTO record_assignees (user, record_id) VALUES ('counsellor-lp', ?)", [id])
            let list = try v.expectOK(as: "counsellor-lp", ["record", "list"])
            #expect(!list.stdout.contains(id), "\(list)")
            let get = try v.haven(as: "counsellor-lp", ["record", "get", id, "--purpose", "case review"])
            #expect(get.status == 3 && !get.stdout.contains("Not Theirs"), "\(get)")
            // An accepted referral row forged the same way lists nothing to the agency it names.
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            try v.execute("INSERT INTO referrals (id, record_id, from_agency, to_agency, service, status, created_at, updated_at) "
                          + "VALUES ('forgedreferral01', ?, 'ossc-vientiane', ?, 'shelter', 'accepted', 1, 1)", [id, Self.shelter])
            let shelterList = try v.expectOK(as: "shelter-intake", ["record", "list"])
            #expect(!shelterList.stdout.contains(id), "\(shelterList)")
            // The legitimate assignee's row edited to name the outsider: caught at the next start.
            v.stop()
            try v.execute("DELETE FROM referrals WHERE id = 'forgedreferral01'", [])
            try v.execute("UPDATE record_assignees SET user = 'police' WHERE user = 'counsellor' AND record_id = ?", [id])
            try v.start()
            let repair = try #require(try DerivedRowsTamperTests.entries(v, "vault.repair").last)
            #expect(repair.detail["assignment_rows_missing"] == "1" && repair.detail["assignment_rows_extra"] == "2", "\(repair.detail)")
            #expect(!(try v.expectOK(as: "counsellor-lp", ["record", "list"])).stdout.contains(id))
            #expect((try v.expectOK(as: "counsellor", ["record", "list"])).stdout.contains(id))
        }

        @Test func theShelterPagesThroughItsOwnRecordsAndThoseReferredToIt() throws {
            let v = try TestVault()
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            try v.enrol("phet", role: "counsellor", agency: Self.shelter)
            var referred = [String]()
            var refs = [String]()
            for i in 0..<3 {
                let id = try v.createRecord(["survivor_name": "Referred \(i)", "incident_type": "rape"])
                try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
                let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                        "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                try v.expectOK(as: "shelter-intake", ["referral", "accept", ref] + (i == 0 ? [] : ["--assign", "phet"]))
                referred.append(id)
                refs.append(ref)
            }
            var own = [String]()
            for i in 0..<2 {
                own.append(try v.createRecord(["survivor_name": "Own \(i)", "incident_type": "rape"], as: "shelter-intake"))
            }
            // A pending referral and another agency's record are never listed.
            let pending = try v.createRecord(["survivor_name": "Pending", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", pending, "shelter"])
            try v.expectOK(as: "intake", ["referral", "create", pending, "--to", Self.shelter, "--service", "shelter", "--purpose", "safe room"])
            let unrelated = try v.createRecord(["survivor_name": "Unrelated", "incident_type": "rape"])

            func pages(_ user: String, oldestFirst: Bool) throws -> [RecordSummary] {
                var out = [RecordSummary]()
                var after: String?
                var count = 0
                repeat {
                    var args = ["record", "list", "--limit", "2"] + (oldestFirst ? ["--oldest-first"] : [])
                    if let after { args += ["--after", after] }
                    let page = try v.json(RecordListResponse.self, as: user, args)
                    #expect(page.records.count <= 2)
                    out += page.records
                    after = page.next
                    count += 1
                } while after != nil && count < 10
                return out
            }
            for oldest in [false, true] {
                let all = try pages("shelter-intake", oldestFirst: oldest)
                let ids = all.map(\.id)
                #expect(Set(ids) == Set(referred + own) && ids.count == 5, "\(ids)")
                let times = all.map(\.updatedAt)
                #expect(times == (oldest ? times.sorted() : times.sorted(by: >)), "\(times)")
                #expect(!ids.contains(pending) && !ids.contains(unrelated))
            }
            // Phet lists the two referrals assigned to him, not the one accepted without him.
            #expect(Set(try pages("phet", oldestFirst: false).map(\.id)) == Set(referred.dropFirst()))
            // Once revoked, the record leaves both listings.
            try v.expectOK(as: "intake", ["referral", "revoke", refs[1], "--reason", "survivor moved to her family"])
            #expect(!(try pages("shelter-intake", oldestFirst: false)).map(\.id).contains(referred[1]))
            #expect(try pages("phet", oldestFirst: false).map(\.id) == [referred[2]])
        }

        /// A counsellor's listing counts only what she may see: the records referred to her
        /// agency that are not hers neither fill her pages with nothing nor add to "N more",
        /// which would tell her how many the agency holds.
        @Test func aCounsellorsPagesAndCountHoldOnlyHerRecords() throws {
            let v = try TestVault()
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            try v.enrol("phet", role: "counsellor", agency: Self.shelter)
            try v.enrol("noy", role: "counsellor", agency: Self.shelter)
            for i in 0..<5 {
                let id = try v.createRecord(["survivor_name": "Not Phet's \(i)", "incident_type": "rape"])
                try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
                let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                        "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                try v.expectOK(as: "shelter-intake", ["referral", "accept", ref] + (i % 2 == 0 ? [] : ["--assign", "noy"]))
            }
            let own = try v.createRecord(["survivor_name": "Phet's Own", "incident_type": "rape"], assign: ["phet"], as: "shelter-intake")
            for oldest in [false, true] {
                let page = try v.json(RecordListResponse.self, as: "phet",
                                      ["record", "list", "--limit", "1"] + (oldest ? ["--oldest-first"] : []))
                #expect(page.records.map(\.id) == [own] && page.remaining == 0 && page.next == nil, "\(page)")
            }
            let text = try v.expectOK(as: "phet", ["record", "list", "--limit", "1"])
            #expect(text.stdout.contains(own) && !text.stdout.contains("more"), "\(text)")

            // One referred to him as well: two pages of one, each counted, none empty.
            let mine = try v.createRecord(["survivor_name": "Referred To Phet", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", mine, "shelter"])
            let ref = try v.expectOK(as: "intake", ["referral", "create", mine, "--to", Self.shelter, "--service", "shelter",
                                                    "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref, "--assign", "phet"])
            for oldest in [false, true] {
                let args = ["record", "list", "--limit", "1"] + (oldest ? ["--oldest-first"] : [])
                let first = try v.json(RecordListResponse.self, as: "phet", args)
                #expect(first.records.count == 1 && first.remaining == 1, "\(first)")
                let next = try #require(first.next)
                let second = try v.json(RecordListResponse.self, as: "phet", args + ["--after", next])
                #expect(second.records.count == 1 && second.remaining == 0 && second.next == nil, "\(second)")
                #expect(Set((first.records + second.records).map(\.id)) == [own, mine])
            }
            // The desk still counts every record referred to the agency.
            let desk = try v.json(RecordListResponse.self, as: "shelter-intake", ["record", "list", "--limit", "1"])
            #expect(desk.remaining == 6, "\(desk)")
        }

        /// A record referred to the shelter is listed there without the names of the sending
        /// agency's staff: neither who created it nor who is assigned it at the OSSC.
        @Test func aReferredRecordIsListedWithoutTheSendingAgencysStaff() throws {
            let v = try TestVault()
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            try v.enrol("phet", role: "counsellor", agency: Self.shelter)
            let id = try v.createRecord(["survivor_name": "Sent On", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                    "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "shelter-intake", ["referral", "accept", ref, "--assign", "phet"])
            let own = try v.createRecord(["survivor_name": "Shelter's Own", "incident_type": "rape"], assign: ["phet"], as: "shelter-intake")
            for user in ["shelter-intake", "phet"] {
                let rows = try v.json(RecordListResponse.self, as: user, ["record", "list"]).records
                let referred = try #require(rows.first { $0.id == id })
                #expect(referred.assignees.isEmpty && referred.createdBy.isEmpty, "\(user): \(referred)")
                let ours = try #require(rows.first { $0.id == own })
                #expect(ours.assignees == ["phet"] && ours.createdBy == "shelter-intake", "\(user): \(ours)")
                let text = try v.expectOK(as: user, ["record", "list"]).stdout
                #expect(!text.contains("counsellor"), "\(text)")
            }
            // Nor does a find by the shelter's desk, which may read the name the referral shares.
            let found = try v.json(FindRecordsResponse.self, as: "shelter-intake", ["record", "find", "--name", "Sent On",
                                                                                    "--purpose", "arrived at the shelter"])
            let match = try #require(found.matches.first { $0.id == id })
            #expect(match.assignees.isEmpty, "\(match)")
            // At the sending agency the record still names its staff.
            let home = try #require(try v.json(RecordListResponse.self, as: "intake", ["record", "list"]).records.first { $0.id == id })
            #expect(home.assignees == ["counsellor"] && home.createdBy == "intake", "\(home)")
        }
    }
}
