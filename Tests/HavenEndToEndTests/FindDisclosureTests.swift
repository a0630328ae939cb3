import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven record find` as each attacker of issue 30 would use it, with the real binaries:
    /// a survivor with records at two OSSCs, who consented to no one yet. Police, health, a
    /// court and a counsellor not assigned to her learn nothing — no agency, no count, no
    /// "may exist"; intake at another agency learns the agency only while her consent covers
    /// sharing with its kind of agency, and otherwise only that a record may exist elsewhere.
    @Suite struct FindDisclosureTests {
        static let purpose = "survivor returned to the centre"
        static let name = "Nguyễn Thị Hoà", phone = "020 5551 7777", dob = "1995-04-02"

        /// A copy of the shipped policy whose intake role has `find_limit: LIMIT`; removed
        /// with the vault's directory.
        static func policy(intakeFindLimit limit: String, in root: String) throws -> String {
            let dir = root + "-policy"
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.copyItem(atPath: Repository.path("policy"), toPath: dir)
            let roles = dir + "/roles.yaml"
            let text = try String(contentsOfFile: roles, encoding: .utf8)
            let anchor = "    find_elsewhere: agencies\n"
            guard text.contains(anchor) else { throw TestFailure("roles.yaml: intake has no find_elsewhere line") }
            try text.replacingOccurrences(of: anchor, with: anchor + "    find_limit: \(limit)\n")
                .write(toFile: roles, atomically: true, encoding: .utf8)
            return dir
        }

        static func find(_ v: TestVault, as user: String, _ args: [String]) throws -> (FindRecordsResponse, String) {
            let r = try v.expectOK(as: user, ["record", "find", "--purpose", purpose] + args + ["--json"])
            return (try JSONDecoder().decode(FindRecordsResponse.self, from: Data(r.stdout.utf8)), r.stdout)
        }

        /// Her two records (Vientiane OSSC, assigned to `counsellor`; Luang Prabang OSSC), the
        /// other agencies' users, and a record of someone else as noise.
        static func survivor() throws -> (TestVault, vientiane: String, luangPrabang: String) {
            let v = try TestVault()
            try v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            try v.enrol("counsellor-lp", role: "counsellor", agency: "ossc-luang-prabang")
            try v.enrol("shelter-intake", role: "intake", agency: "lwu-shelter-vientiane")
            let fields = ["survivor_name": name, "phone": phone, "date_of_birth": dob, "incident_type": "rape"]
            let vientiane = try v.createRecord(fields, assign: ["counsellor"])
            let luangPrabang = try v.createRecord(fields, assign: ["counsellor-lp"], as: "intake-lp")
            _ = try v.createRecord(["survivor_name": "Someone Else", "date_of_birth": dob, "incident_type": "rape"])
            return (v, vientiane, luangPrabang)
        }

        @Test func policeHealthCourtAndCounsellorsLearnNothingOfRecordsTheyMayNotRead() throws {
            let (v, vientiane, _) = try Self.survivor()
            let searches = [["--name", Self.name], ["--name", "nguyen thi hoa"], ["--phone", "+856 20 55517777"],
                            ["--name", Self.name, "--dob", "02/04/1995"]]
            // counsellor: assigned, but her counselling consent is not granted; counsellor-lp
            // the same at the other OSSC.
            for user in ["police", "health", "counsellor", "counsellor-lp"] {
                for args in searches {
                    let (r, raw) = try Self.find(v, as: user, args)
                    #expect(r.matches.isEmpty && r.elsewhere.isEmpty && !r.mayExistElsewhere, "\(user) \(args): \(raw)")
                    for word in ["ossc-", "agency", "count"] { #expect(!raw.contains(word), "\(user) \(args): \(raw)") }
                }
                let text = try v.expectOK(as: user, ["record", "find", "--phone", Self.phone, "--purpose", Self.purpose])
                #expect(text.stdout == "no record you may see matches\n", "\(user): \(text)")
            }
            // The court never searches: denied, as before.
            let court = try v.haven(as: "court", ["record", "find", "--name", Self.name, "--purpose", Self.purpose])
            #expect(court.status == 3 && court.stderr.hasPrefix("haven: denied:"), "\(court)")
            // Their entries say what was answered: nothing beyond reach.
            let finds = try v.auditLog(["--limit", "1000"]).filter { $0.action == "record.find" && $0.actor?.user == "police" }
            #expect(finds.count == searches.count + 1 && finds.allSatisfy { $0.detail["elsewhere"] == "" && $0.detail["may_exist_elsewhere"] == nil })

            // With her police consent, police find the Vientiane record by name and nothing of the other.
            try v.expectOK(as: "intake", ["consent", "grant", vientiane, "police"])
            let (police, raw) = try Self.find(v, as: "police", ["--name", Self.name])
            #expect(police.matches.map(\.id) == [vientiane] && police.elsewhere.isEmpty && !police.mayExistElsewhere, "\(raw)")
        }

        @Test func intakeElsewhereLearnsTheAgencyOnlyWhereHerConsentCoversItsKind() throws {
            let (v, vientiane, luangPrabang) = try Self.survivor()
            // The shelter (type shelter: services shelter and counselling) and the other OSSC
            // (type ossc: counselling): without consent, only that a record may exist.
            let (shelter, raw) = try Self.find(v, as: "shelter-intake", ["--name", "nguyen thi hoa"])
            #expect(shelter.matches.isEmpty && shelter.elsewhere.isEmpty && shelter.mayExistElsewhere, "\(raw)")
            #expect(!raw.contains("ossc-"), "\(raw)")
            let text = try v.expectOK(as: "shelter-intake", ["record", "find", "--phone", Self.phone, "--purpose", Self.purpose])
            #expect(text.stdout == "a record may exist elsewhere; ask the OSSC coordinator\n", "\(text)")
            let (lp, _) = try Self.find(v, as: "intake-lp", ["--name", Self.name])
            #expect(lp.matches.map(\.id) == [luangPrabang] && lp.elsewhere.isEmpty && lp.mayExistElsewhere)

            // Her shelter consent at Vientiane names Vientiane to the shelter; Luang Prabang,
            // still without it, stays a flag. To the other OSSC, shelter consent covers nothing.
            try v.expectOK(as: "intake", ["consent", "grant", vientiane, "shelter"])
            let named = try Self.find(v, as: "shelter-intake", ["--name", Self.name]).0
            #expect(named.elsewhere == [AgencyCount(agency: "ossc-vientiane", count: 1)] && named.mayExistElsewhere, "\(named)")
            #expect(try Self.find(v, as: "intake-lp", ["--name", Self.name]).0.elsewhere.isEmpty)
            // Counselling consent is what an OSSC's kind is covered by.
            try v.expectOK(as: "intake", ["consent", "grant", vientiane, "counselling"])
            let ossc = try Self.find(v, as: "intake-lp", ["--phone", Self.phone]).0
            #expect(ossc.elsewhere == [AgencyCount(agency: "ossc-vientiane", count: 1)] && !ossc.mayExistElsewhere, "\(ossc)")
            let line = try v.expectOK(as: "intake-lp", ["record", "find", "--phone", Self.phone, "--purpose", Self.purpose])
            #expect(line.stdout.contains("1 more you may not see, at ossc-vientiane: ask them for a referral"), "\(line)")

            // Withdrawn: covered no more, at the very next find.
            try v.expectOK(as: "intake", ["consent", "withdraw", vientiane, "shelter"])
            try v.expectOK(as: "intake", ["consent", "withdraw", vientiane, "counselling"])
            let after = try Self.find(v, as: "shelter-intake", ["--name", Self.name]).0
            #expect(after.elsewhere.isEmpty && after.mayExistElsewhere, "\(after)")
            #expect(try Self.find(v, as: "intake-lp", ["--name", Self.name]).0.elsewhere.isEmpty)
            // The entry holds what was answered, and the flag.
            let last = try #require(try v.auditLog(["--limit", "1000"]).last { $0.action == "record.find" && $0.actor?.user == "shelter-intake" })
            #expect(last.detail["elsewhere"] == "" && last.detail["may_exist_elsewhere"] == "true", "\(last.detail)")
        }

        @Test func aDateOfBirthAloneIsNoSearch() throws {
            let (v, _, _) = try Self.survivor()
            for user in ["intake", "shelter-intake", "police"] {
                let r = try v.haven(as: user, ["record", "find", "--dob", Self.dob, "--purpose", Self.purpose])
                #expect(r.status == 1 && r.stderr.hasPrefix("haven: bad_request: a date of birth alone is not a search (hint: "), "\(r)")
                #expect(!r.stderr.contains("1995"))
            }
            // With a name it is a search.
            #expect(try Self.find(v, as: "intake", ["--dob", Self.dob, "--name", Self.name]).0.matches.count == 1)
            let refused = try v.auditLog(["--limit", "1000"]).filter { $0.action == "record.find" && $0.outcome == "bad_request" }
            #expect(refused.count == 3 && refused.allSatisfy { $0.detail["elsewhere"] == nil })
        }

        @Test func findsAreHeldToAPersonsPaceAcrossConnectionsAndRefusalsAreAudited() throws {
            let root = "/tmp/hv-pace-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let policy = try Self.policy(intakeFindLimit: "{burst: 3, seconds_per_find: 2}", in: root)
            defer { try? FileManager.default.removeItem(atPath: policy) }
            let v = try TestVault(policy: policy)
            try v.enrol("intake2", role: "intake", agency: "ossc-vientiane")
            _ = try v.createRecord(["survivor_name": Self.name, "incident_type": "rape"])
            // Each CLI call is a connection of its own: the bucket is the user's, not the
            // connection's. The first three always pass; then, well before two seconds a call
            // could pass unrefused, one is refused.
            var allowed = 0
            var refusal: CommandResult?
            for _ in 0..<30 where refusal == nil {
                let r = try v.haven(as: "intake", ["record", "find", "--name", Self.name, "--purpose", Self.purpose])
                if r.status == 0 { allowed += 1 } else { refusal = r }
            }
            let refused = try #require(refusal, "30 finds, none refused")
            #expect(allowed >= 3, "\(allowed)")
            #expect(refused.status == 5 && refused.stderr.hasPrefix("haven: rate_limited: too many finds: 3 at once, then one every 2 s (hint: try again in "),
                    "\(refused)")
            let json = try v.haven(as: "intake", ["record", "find", "--name", Self.name, "--purpose", Self.purpose, "--json"])
            #expect(json.status == 5 && json.stderr.contains(#""code":"rate_limited""#), "\(json)")
            // Another user of the same role is not held back by her colleague.
            #expect(try v.haven(as: "intake2", ["record", "find", "--name", Self.name, "--purpose", Self.purpose]).status == 0)
            // The refusal is in the log as one, with whom it was for.
            let entries = try v.auditLog(["--user", "intake", "--limit", "1000"]).filter { $0.action == "record.find" }
            let denied = entries.filter { $0.outcome == "rate_limited" }
            #expect(denied.count >= 2 && denied.allSatisfy { $0.decision == "deny" && $0.detail["name_digest"]?.count == 32 }, "\(denied)")
            // After the wait the hint gives, she searches again.
            Thread.sleep(forTimeInterval: 2.1)
            #expect(try v.haven(as: "intake", ["record", "find", "--name", Self.name, "--purpose", Self.purpose]).status == 0)
        }

        @Test func anAuditorFindsWhoSearchedForHerInAnySpellingAndTheLogHoldsNoTerm() throws {
            let (v, _, _) = try Self.survivor()
            _ = try Self.find(v, as: "police", ["--name", Self.name])  // composed, with diacritics
            _ = try Self.find(v, as: "health", ["--phone", "+856 20 55517777"])
            _ = try Self.find(v, as: "counsellor-lp", ["--name", "Somebody Different"])
            _ = try Self.find(v, as: "shelter-intake", ["--name", Self.name.decomposedStringWithCanonicalMapping, "--dob", "02/04/1995"])
            _ = try v.haven(as: "intake", ["record", "find", "--dob", Self.dob, "--purpose", Self.purpose])  // refused: dob alone

            // Asked without diacritics, upper case: who searched her name.
            let byName = try v.json(AuditSearchesResponse.self, as: "auditor", ["audit", "searches", "--name", "NGUYEN THI HOA"])
            #expect(Set(byName.entries.compactMap(\.actor?.user)) == ["police", "shelter-intake"], "\(byName.entries)")
            #expect(byName.entries.allSatisfy { byName.matched($0).contains("name") })
            #expect(byName.entries.first?.actor?.user == "shelter-intake", "newest first")
            // Her phone in another spelling: the health worker; her birth date: the shelter.
            let byPhone = try v.json(AuditSearchesResponse.self, as: "auditor", ["audit", "searches", "--phone", Self.phone])
            #expect(byPhone.entries.compactMap(\.actor?.user) == ["health"], "\(byPhone.entries)")
            let byDate = try v.json(AuditSearchesResponse.self, as: "auditor", ["audit", "searches", "--dob", Self.dob])
            #expect(byDate.entries.compactMap(\.actor?.user) == ["shelter-intake"], "\(byDate.entries)")
            let table = try v.expectOK(as: "auditor", ["audit", "searches", "--name", "nguyen thi hoa", "--phone", Self.phone])
            for word in ["police", "health", "shelter-intake", Self.purpose, "name,dob"] { #expect(table.stdout.contains(word), "\(table.stdout)") }
            #expect(!table.stdout.contains("counsellor-lp"))
            // A court clerk's refused attempt is a find that searched for her too.
            #expect(try v.haven(as: "court", ["record", "find", "--name", "Nguyen Thi Hoa", "--purpose", Self.purpose]).status == 3)
            let withCourt = try v.json(AuditSearchesResponse.self, as: "auditor", ["audit", "searches", "--name", Self.name])
            #expect(withCourt.entries.first?.actor?.user == "court" && withCourt.entries.first?.decision == "deny", "\(withCourt.entries)")
            #expect(withCourt.entries.count == 3)
            // Only an auditor may ask, and asking is audited with the digest, not the name.
            let denied = try v.haven(as: "intake", ["audit", "searches", "--name", Self.name])
            #expect(denied.status == 3, "\(denied)")
            let asked = try #require(try v.auditLog(["--user", "auditor", "--limit", "1000"]).first { $0.detail["operation"] == "searches" })
            #expect(asked.detail["name_digest"] == byName.digests["name"] && asked.detail["found"] == "2", "\(asked.detail)")

            // The files hold none of what was searched or asked, in any spelling.
            v.stop()
            let terms = [Self.name, Self.name.decomposedStringWithCanonicalMapping, "NGUYEN THI HOA", "nguyen thi hoa", "nguyenthihoa",
                         "Somebody Different", "somebodydifferent", "55517777", "02/04/1995"]
            for file in try v.dataFiles() + [v.log] {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                for term in terms { #expect(bytes.range(of: Data(term.utf8)) == nil, "\(term) in \(file)") }
            }
        }
    }
}
