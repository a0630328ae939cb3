import Foundation
import Glibc
import HavenAPI
import HavenCrypto
import HavenStats
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Vaults made by earlier releases, committed under Tests/Fixtures/vault-vN/ by
    /// scripts/make-fixture-vault.sh: each must open with this release, be upgraded once
    /// (one audit entry says so), and read back exactly what its readers saw before.
    @Suite struct UpgradeTests {
        static let fixtures = Repository.fixtures + "/"
        /// Every committed format before this release's (schema 10, vault-v10, checked on its own below).
        static let formats = ["vault-v2", "vault-v3", "vault-v4", "vault-v5", "vault-v6", "vault-v7", "vault-v8", "vault-v9"]
        /// Formats made after the search index (schema 6), in its format 1: rebuilt at start.
        static let withSearchIndex: Set = ["vault-v6", "vault-v7", "vault-v8", "vault-v9"]
        /// Formats made after statistics rows (schema 7): nothing to rebuild at start.
        static let withStatistics: Set = ["vault-v7", "vault-v8", "vault-v9"]
        /// The `vault.migrate` entries a vault of each format gets: one per schema step.
        static let migrations = ["vault-v2": ["3", "4", "5", "6", "7", "8", "9", "10", "11"], "vault-v3": ["4", "5", "6", "7", "8", "9", "10", "11"],
                                 "vault-v4": ["5", "6", "7", "8", "9", "10", "11"], "vault-v5": ["6", "7", "8", "9", "10", "11"],
                                 "vault-v6": ["7", "8", "9", "10", "11"], "vault-v7": ["8", "9", "10", "11"], "vault-v8": ["9", "10", "11"], "vault-v9": ["10", "11"]]

        /// The fixture copied into a fresh test vault's data directory (keys-example users).
        func fixtureVault(_ format: String = "vault-v2") throws -> TestVault {
            let fixture = Self.fixtures + format
            let v = try TestVault(enrol: false, start: false)
            try FileManager.default.removeItem(atPath: v.data)
            mkdir(v.data, 0o700)
            for file in ["haven.db", "root.key", "vault.pub"] {
                try FileManager.default.copyItem(atPath: fixture + "/" + file, toPath: v.data + "/" + file)
                chmod(v.data + "/" + file, file == "vault.pub" ? 0o644 : 0o600)
            }
            return v
        }

        /// Each expected/ID[.reader].json: the record as that reader saw it before the upgrade.
        static func expectations(_ format: String) throws -> [(id: String, reader: String, record: ReadRecordResponse)] {
            let dir = fixtures + format + "/expected"
            return try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix("stats-") }.sorted().map { file in
                let parts = file.dropLast(".json".count).split(separator: ".")
                let record = try JSONDecoder().decode(ReadRecordResponse.self,
                                                      from: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "intake", record)
            }
        }

        @Test(arguments: Self.formats)
        func aVaultOfEachFormatOpensOnceUpgradedAndEveryRecordReadsBack(format: String) throws {
            let v = try fixtureVault(format)
            let steps = Self.migrations[format]!
            let upgrades = steps.count
            try v.start()
            #expect(v.daemonLog.contains("vault upgraded") == (upgrades > 0), "\(v.daemonLog)")
            let expected = try Self.expectations(format)
            #expect(expected.count == 5)
            for e in expected {
                let now = try v.json(ReadRecordResponse.self, as: e.reader, ["record", "get", e.id, "--purpose", "after the upgrade"])
                #expect(now.fields == e.record.fields, "\(e.id) as \(e.reader)")
                #expect(now.notes.map(\.text) == e.record.notes.map(\.text), "\(e.id) as \(e.reader)")
                #expect(now.version == e.record.version && now.type == e.record.type && now.agency == e.record.agency)
            }
            // Users come through exactly: the uid binding and the revocation.
            let users = try v.expectOK(as: "admin", ["user", "list"]).stdout
            #expect(users.contains("bounmy") && users.contains("4242"), "\(users)")
            #expect(users.split(separator: "\n").contains { $0.contains("retired") && $0.contains("revoked") }, "\(users)")
            // An upgrade is one audit entry, and the whole log verifies with its tags.
            let migrations = { () throws -> [AuditEntryView] in
                try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.migrate" }
            }
            let first = try migrations()
            #expect(first.map { $0.detail["to_schema"] } == steps, "\(first)")
            if steps.first == "3" { #expect(first[0].detail["from_schema"] == "2" && first[0].detail["records"] == "3", "\(first)") }
            let verify = try v.expectOK(as: "auditor", ["audit", "verify"])
            #expect(verify.stdout.hasPrefix("ok:"), "\(verify)")
            try expectNumberedInCreationOrder(v)
            // Each record's entries, found through the chains the upgrade linked (schema 9),
            // are exactly the log's entries about it.
            let log = try v.auditLog(["--limit", "5000"])
            for id in Set(expected.map(\.id)) {
                let about = try v.auditLog(["--record", id, "--limit", "5000"])
                #expect(!about.isEmpty && about == log.filter { $0.record == id }, "\(format) \(id)")
            }

            // Its records are found by name, the title ນາງ typed or not: the search index was
            // built as it started (one entry, three records), and is not built again. A vault with an index of format 1
            // (schema 6 on, one key per field for every agency) has it made again per agency.
            let counselled = try #require(expected.first { $0.reader == "counsellor" })
            let found = try v.json(FindRecordsResponse.self, as: "intake", ["record", "find", "--name", "ນາງສົມພອນ ວົງສະຫວັນ",
                                                                           "--purpose", "after the upgrade"])
            #expect(found.matches.map(\.id) == [counselled.id], "\(found)")
            let reindexed = { () throws -> [AuditEntryView] in
                try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.reindex" }
            }
            let reindex = try reindexed()
            #expect(reindex.map { $0.detail["records"] } == ["3"], "\(reindex)")
            // Every assignment, referral and search row an earlier release wrote agrees with its record.
            #expect(try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.repair" }.isEmpty)
            if Self.withSearchIndex.contains(format) {
                #expect(reindex.first?.rule == "search index rebuilt in index format 3: a key per agency, names without their titles",
                        "\(reindex)")
                #expect(reindex.first?.detail["fields"] == "date_of_birth:date/3:12,phone:phone/3:16,survivor_name:name/3:16")
            }
            // Its statistics rows were made as it started (one entry, three records), and count.
            let restat = { () throws -> [AuditEntryView] in
                try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.statistics" }
            }
            #expect(try restat().map { $0.detail["records"] } == (Self.withStatistics.contains(format) ? [] : ["3"]))
            if Self.withStatistics.contains(format) {
                // The fixture's one record with the statistics consent, a Hanoi assault of October 2025:
                // counted (a small cell), or, alone in its year, the year's release refused whole
                // because no table of it hides her (HavenStats METHOD.md). Either way its row was read.
                let r = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-10", "--to", "2025-10", "--by", "province",
                                                    "--format", "json"])
                if r.status == 0 {
                    let counted = try JSONDecoder().decode(StatisticsReport.self, from: Data(r.stdout.utf8))
                    #expect(counted.rows.first { $0.groups == ["vn-ha-noi"] }?.shown == "<5", "\(counted.rows.filter { $0.count != 0 })")
                } else {
                    #expect(r.status == 1 && r.stderr.contains("cannot be published") && r.stderr.contains("small count"), "\(r)")
                }
            }

            if ["vault-v8", "vault-v9"].contains(format) {
                // The fixture's shelter referral, accepted before the upgrade, still opens the
                // record's name to the shelter's intake, and nothing of the incident.
                try FileManager.default.copyItem(atPath: Self.fixtures + format + "/shelter.key", toPath: v.keyPath("shelter"))
                chmod(v.keyPath("shelter"), 0o600)
                let referred = try #require(expected.first { $0.reader == "health" })
                let seen = try v.json(ReadRecordResponse.self, as: "shelter", ["record", "get", referred.id, "--purpose", "after the upgrade"])
                #expect(seen.fields.keys.sorted() == ["survivor_name"] && seen.fields["survivor_name"] == referred.record.fields["survivor_name"],
                        "\(seen.fields)")
                let incoming = try v.json(ReferralListResponse.self, as: "shelter", ["referral", "list", "--status", "accepted"])
                #expect(incoming.referrals.map(\.record) == [referred.id] && incoming.unverified == 0, "\(incoming)")
            }

            // Writes afterwards, a restart, and no second upgrade.
            try v.expectOK(as: "intake", ["record", "update", expected[0].id, "--field", "phone=+84 912 345 678"])
            v.stop()
            try v.start()
            #expect(try migrations().count == upgrades)
            #expect(try reindexed().count == 1)
            #expect(try restat().count == (Self.withStatistics.contains(format) ? 0 : 1))
            let after = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", expected[0].id, "--purpose", "after restart"])
            #expect(after.fields["phone"] == "+84 912 345 678")
        }

        /// A record written before history rows keeps its notes and consent history through its
        /// first change, which moves them into rows, and reads the same before and after.
        @Test(arguments: Self.formats)
        func aRecordKeepsItsHistoryThroughItsFirstChange(format: String) throws {
            let v = try fixtureVault(format)
            try v.start()
            // The record the counsellor read: a counselling note and three consent events.
            let counselled = try #require(try Self.expectations(format).first { $0.reader == "counsellor" })
            let id = counselled.id
            let consentBefore = try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id, "--json"])
            #expect(consentBefore.history.map(\.kind) == ["grant", "grant", "withdraw"], "\(consentBefore.history)")
            try v.expectOK(as: "counsellor", ["note", "add", id, "--class", "counselling", "--text", "Buổi thứ hai."])
            try v.expectOK(as: "intake", ["consent", "grant", id, "health"])
            let read = try v.json(ReadRecordResponse.self, as: "counsellor", ["record", "get", id, "--purpose", "after the change"])
            #expect(read.notes.map(\.text) == counselled.record.notes.map(\.text) + ["Buổi thứ hai."])
            #expect(read.notes.map(\.index) == Array(1...UInt64(read.notes.count)))
            let consentAfter = try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id, "--json"])
            #expect(consentAfter.history.dropLast() == consentBefore.history[...], "\(consentAfter.history)")
            #expect(consentAfter.history.last?.flag == "health" && consentAfter.historyTotal == 4)
            #expect(consentAfter.flags == consentBefore.flags.map { $0.flag == "health" ? .init(flag: "health", state: "granted", expiresAt: nil) : $0 })
            v.stop()
            try v.start()
            try v.expectOK(as: "auditor", ["audit", "verify"])
            #expect(try v.json(ReadRecordResponse.self, as: "counsellor", ["record", "get", id, "--purpose", "after restart"]).notes == read.notes)
        }

        /// The last release's format (schema 10, index format 2), committed so that the next
        /// format's upgrade must keep opening it: it starts with one upgrade step (schema 11,
        /// case numbers) and one reindex (index format 3, names without their titles), and no
        /// restatement or repair, reads its records back, and answers from the 2025 statistics
        /// release it published before it was committed — the same rows, not a recomputation.
        @Test func theCurrentFormatsFixtureOpensAsItIsWithItsFrozenRelease() throws {
            let format = "vault-v10"
            let v = try fixtureVault(format)
            try v.start()
            #expect(v.daemonLog.contains("vault upgraded"), "\(v.daemonLog)")
            let expected = try Self.expectations(format)
            #expect(expected.count == 5)
            for e in expected {
                let now = try v.json(ReadRecordResponse.self, as: e.reader, ["record", "get", e.id, "--purpose", "fixture check"])
                #expect(now.fields == e.record.fields && now.version == e.record.version, "\(e.id) as \(e.reader)")
            }
            let log = try v.auditLog(["--limit", "5000"])
            #expect(log.filter { ["vault.statistics", "vault.repair"].contains($0.action) }.isEmpty, "\(log.map(\.action))")
            // Its index (format 2, names with their titles) is made again once, in format 3.
            let reindex = log.filter { $0.action == "vault.reindex" }
            #expect(reindex.map(\.rule) == ["search index rebuilt in index format 3: a key per agency, names without their titles"], "\(reindex)")
            #expect(reindex.first?.detail["records"] == "13", "\(reindex)")
            let found = try ["ນາງສົມພອນ ວົງສະຫວັນ", "ສົມພອນ ວົງສະຫວັນ"].map { name in
                try v.json(FindRecordsResponse.self, as: "intake", ["record", "find", "--name", name, "--purpose", "fixture check"]).matches.map(\.id)
            }
            #expect(!found[0].isEmpty && found[0] == found[1], "\(found)")
            #expect(log.filter { $0.action == "vault.migrate" }.map { $0.detail["to_schema"] } == ["11"], "\(log.map(\.action))")
            try expectNumberedInCreationOrder(v)
            for e in expected {
                let number = try #require(try v.json(ReadRecordResponse.self, as: e.reader, ["record", "get", e.id, "--purpose", "fixture check"])
                    .caseNumber)
                // A number names the record only to its own agency's staff (intake and counsellor
                // are the centre's); to anyone else it names nothing.
                guard e.record.agency == "ossc-vientiane" && ["intake", "counsellor"].contains(e.reader) else {
                    #expect(try v.haven(as: e.reader, ["record", "get", number, "--purpose", "fixture check"]).status == 4)
                    continue
                }
                let byNumber = try v.json(ReadRecordResponse.self, as: e.reader, ["record", "get", number, "--purpose", "fixture check"])
                #expect(byNumber.id == e.id && byNumber.fields == e.record.fields, "\(number) as \(e.reader)")
            }
            let published = try JSONDecoder().decode(StatisticsReport.self, from: Data(contentsOf: URL(fileURLWithPath:
                Self.fixtures + format + "/expected/stats-2025.json")))
            // Erased since: the release does not move.
            try v.expectOK(as: "intake", ["record", "erase", expected[0].id, "--reason", "entered_in_error"])
            let now = try v.json(StatisticsReport.self, as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-12",
                                                                          "--by", "province,incident_type", "--format", "json"])
            #expect(now.rows == published.rows && now.publishedBy == published.publishedBy, "\(now.rows.filter { $0.count != 0 })")
            #expect(try v.auditLog(["--limit", "5000"]).filter { $0.action == "stats.publish" }.count == 1)
            try v.expectOK(as: "auditor", ["audit", "verify"])
        }

        /// Every record of an upgraded vault has one case number, at its own agency, counted
        /// per agency and year in the order the records were made (schema 11).
        func expectNumberedInCreationOrder(_ v: TestVault) throws {
            let rows = try v.withDatabase { db in
                let s = try db.statement("""
                    SELECT r.agency, c.agency, c.year, c.seq, c.number, strftime('%Y', r.created_at / 1000, 'unixepoch')
                    FROM records r LEFT JOIN case_numbers c ON c.record_id = r.id ORDER BY r.created_at, r.id
                    """)
                var out = [(String, String?, Int64, Int64, String?, String)]()
                while try s.step() {
                    out.append((s.string(0), s.optionalString(1), s.int64(2), s.int64(3), s.optionalString(4), s.string(5)))
                }
                return out
            }
            #expect(!rows.isEmpty)
            var counts = [String: Int64]()
            for (agency, numberedAt, year, seq, number, created) in rows {
                #expect(numberedAt == agency && String(year) == created, "\(rows)")
                let key = agency + "/" + created
                counts[key, default: 0] += 1
                #expect(seq == counts[key], "\(rows)")
                #expect(number?.hasSuffix(String(format: "-%02d-%04d", year % 100, seq)) == true, "\(rows)")
            }
        }

        /// The fixture of the last format has an index of format 1 (one key per field for
        /// every agency): once started, its rows are the agency's (format 2), as computed
        /// here from its root key file, and `search_fields` says so.
        @Test func aFormatOneIndexIsMadeAgainUnderItsAgencysKeys() throws {
            let v = try fixtureVault("vault-v9")
            let root = try RootKey(material: KeyFiles.readSecret(kind: .rootKey, path: v.data + "/root.key"))
            let layout = { () throws -> [String] in
                try v.withDatabase { db in
                    let s = try db.statement("SELECT kind FROM search_fields ORDER BY field")
                    var out = [String]()
                    while try s.step() { out.append(s.string(0)) }
                    return out
                }
            }
            #expect(try layout() == ["date", "phone", "name"])
            let phoneRow = { () throws -> [Int64] in
                try v.withDatabase { db in
                    let s = try db.statement("SELECT value FROM search_index WHERE field = 'phone' AND record_id = '7znpjjhxukioekz35tqyl2zqia'")
                    var out = [Int64]()
                    while try s.step() { out.append(s.int64(0)) }
                    return out
                }
            }
            // The counselled record's phone, +856 20 5555 0101, in its search form.
            let agencys = Int64(BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "phone", bits: 16).value("02055550101"))
            #expect(try phoneRow() != [agencys])
            try v.start()
            #expect(try layout() == ["date/3", "phone/3", "name/3"])
            #expect(try phoneRow() == [agencys])
            let found = try v.json(FindRecordsResponse.self, as: "intake", ["record", "find", "--phone", "020 5555 0101",
                                                                           "--purpose", "after the upgrade"])
            #expect(found.matches.map(\.id) == ["7znpjjhxukioekz35tqyl2zqia"], "\(found)")
        }

        @Test func theUpgradedBaselineCannotBeEditedAfterwards() throws {
            let v = try fixtureVault()
            try v.start()
            v.stop()
            // A record's baseline state replaced by another's: the upgrade's entry no longer matches.
            try v.withDatabase { db in
                try db.execute("""
                    UPDATE state_baseline SET tag = (SELECT tag FROM state_baseline WHERE key LIKE 'user:%' LIMIT 1)
                    WHERE key = (SELECT key FROM state_baseline WHERE key LIKE 'record:%' LIMIT 1)
                    """)
            }
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.contains("refusing to start: table state_baseline"), "\(r)")
        }

        @Test func aDamagedSchema2LogIsNotBlessedByTheUpgrade() throws {
            let v = try fixtureVault()
            // A signed entry of the old log rewritten (allow becomes deny), its stored hash left as it was.
            try v.execute("""
                UPDATE audit_entries SET entry = CAST(replace(CAST(entry AS TEXT), '"decision":"allow"', '"decision":"deny"') AS BLOB)
                WHERE seq = 20
                """, [])
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.contains("refusing to upgrade the vault to schema 3"), "\(r)")
            // Nothing was changed: the file is still schema 2.
            let version = try v.withDatabase { db -> Int64 in
                let s = try db.statement("PRAGMA user_version")
                _ = try s.step()
                return s.int64(0)
            }
            #expect(version == 2)
        }
    }
}
