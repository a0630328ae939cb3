import Foundation
import HavenAPI
import HavenStats
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A year's statistics are one release, with the real binaries on the real SQLite file:
    /// computed by the year's first query once the year has ended, stored sealed, and given
    /// back unchanged to every later query, whatever was withdrawn or erased since; the same
    /// set of dimensions in any order is the same table; a breakdown the policy does not list
    /// is refused; and a stored release edited, moved or deleted is an integrity error, never
    /// numbers and never a second release.
    @Suite struct StatisticsReleaseTests {
        static let feb = ["--from", "2025-02", "--to", "2025-02"]

        /// The JSON answer without its audit entry's number, which each query has of its own.
        static func published(_ v: TestVault, _ args: [String]) throws -> String {
            let out = try v.expectOK(as: "analyst", ["stats", "incidents", "--format", "json"] + args).stdout
            let seq = try NSRegularExpression(pattern: #""audit_seq"\s*:\s*[0-9]+"#)
            return seq.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: #""audit_seq":0"#)
        }

        @Test func aPublishedYearIsAnsweredUnchangedAfterAWithdrawalAndAnErasure() throws {
            let (v, assaults) = try StatisticsTests.populated.copy()
            let queries = [Self.feb + ["--by", "province,incident_type"], Self.feb + ["--by", "incident_type"],
                           ["--from", "2025-01", "--to", "2025-03", "--by", "month,incident_type"],
                           ["--from", "2025-01", "--to", "2025-12", "--by", "sex"]]
            let first = try queries.map { try Self.published(v, $0) }
            #expect(first[1].contains(#""physical_assault""#))
            // The survivor of an assault withdraws her statistics consent; another record is erased.
            try v.expectOK(as: "intake", ["consent", "withdraw", assaults[0], "statistics"])
            for (query, before) in zip(queries, first) { #expect(try Self.published(v, query) == before, "\(query)") }
            try v.expectOK(as: "intake", ["record", "erase", assaults[1], "--reason", "survivor_request"])
            for (query, before) in zip(queries, first) { #expect(try Self.published(v, query) == before, "\(query)") }

            // One publication, by the first query, in the log: who, the year, the breakdowns,
            // how many cells were hidden.
            let publications = try v.auditLog(["--all"]).filter { $0.action == "stats.publish" }
            #expect(publications.count == 1, "\(publications)")
            let p = try #require(publications.first)
            #expect(p.actor?.user == "analyst" && p.detail["year"] == "2025" && p.detail["breakdowns"]?.contains("incident_type,province") == true
                    && p.detail["small"].flatMap(Int.init).map { $0 > 0 } == true && p.detail["complementary"] != nil, "\(p)")
            let reads = try v.auditLog(["--user", "analyst", "--all"]).filter { $0.action == "stats.read" && $0.decision == "allow" }
            #expect(reads.count == 3 * queries.count)
            // The release is one row, sealed: no code or count of it in the clear.
            let sealed = try v.scalarBlob("SELECT sealed FROM statistics_releases WHERE year = ?", ["2025"])
            #expect(Data(sealed).range(of: Data("la-luang-prabang".utf8)) == nil && sealed.count > 100)
        }

        @Test func theSameSetOfDimensionsInEveryOrderIsTheSameTable() throws {
            let (v, _) = try StatisticsTests.populated.copy()
            /// Each cell as its value per dimension, whatever the order asked: what it shows.
            func cells(_ by: [String]) throws -> [[String: String]: String] {
                let r = try v.json(StatisticsReport.self, as: "analyst", ["stats", "incidents", "--format", "json", "--from", "2025-01",
                                                                          "--to", "2025-03", "--by", by.joined(separator: ",")])
                #expect(r.dimensions == by)
                var out = [[String: String]: String]()
                for row in r.rows { out[Dictionary(uniqueKeysWithValues: zip(r.dimensions, row.groups))] = row.shown }
                return out
            }
            let dims = ["month", "province", "incident_type"]
            let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map { $0.map { dims[$0] } }
            let reference = try cells(orders[0])
            #expect(reference.values.contains("<5") && reference.count > 20)
            for order in orders.dropFirst() { #expect(try cells(order) == reference, "\(order)") }
            // The margins too: one dimension of the set is the total of the other.
            #expect(try cells(["province", "incident_type"]) == cells(["incident_type", "province"]))
        }

        @Test func aBreakdownThePolicyDoesNotListOrAYearNotEndedIsRefused() throws {
            let (v, _) = try StatisticsTests.populated.copy()
            let refused = try v.haven(as: "analyst", ["stats", "incidents", "--by", "incident_type,sex"] + Self.feb)
            #expect(refused.status == 3 && refused.stdout.isEmpty, "\(refused)")
            #expect(refused.stderr.contains("not among the breakdowns the policy allows") && refused.stderr.contains("incident_type,province; province,sex"),
                    "\(refused.stderr)")
            let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
            for (from, to) in [("\(thisYear)-01", "\(thisYear)-01"), ("\(thisYear)-01", "\(thisYear)-12")] {
                let running = try v.haven(as: "analyst", ["stats", "incidents", "--from", from, "--to", to, "--by", "sex"])
                #expect(running.status == 1 && running.stderr.contains("\(thisYear), which has not ended")
                        && running.stderr.contains("\(thisYear - 1) or earlier"), "\(running)")
            }
            // Refusals publish nothing and are in the log.
            #expect(try v.auditLog(["--all"]).filter { $0.action == "stats.publish" }.isEmpty)
            let entries = try v.auditLog(["--user", "analyst", "--all"]).filter { $0.action == "stats.read" }
            #expect(entries.map(\.outcome) == ["denied", "invalid_value", "invalid_value"], "\(entries.map(\.outcome))")
        }

        /// Someone with the files flips a byte of the stored release, moves it to another
        /// year, or deletes it: each query then answers integrity_error and no number, and
        /// the year is never computed again.
        @Test func aStoredReleaseEditedMovedOrDeletedIsCaught() throws {
            let (v, _) = try StatisticsTests.populated.copy()
            let query = ["stats", "incidents", "--by", "incident_type", "--format", "csv"] + Self.feb
            let before = try v.expectOK(as: "analyst", query).stdout
            let sealed = try v.scalarBlob("SELECT sealed FROM statistics_releases WHERE year = ?", ["2025"])
            func refused(_ why: String, _ args: [String] = query) throws {
                let r = try v.haven(as: "analyst", args)
                #expect(r.status == 1 && r.stdout.isEmpty && r.stderr.contains("fails its check") && r.stderr.contains(why), "\(r)")
                let entry = try v.auditLog(["--user", "analyst", "--all"]).filter { $0.action == "stats.read" }.last
                #expect(entry?.outcome == "integrity_error" && entry?.detail["integrity"]?.contains(why) == true, "\(String(describing: entry))")
            }
            for i in [0, 3, 40, sealed.count / 2, sealed.count - 1] {
                var flipped = sealed
                flipped[i] ^= 0x20
                try v.execute("UPDATE statistics_releases SET sealed = ? WHERE year = 2025", [flipped])
                try refused("does not open")
            }
            // 2025's release put in as 2024's does not open there.
            try v.execute("INSERT INTO statistics_releases (year, published_at, sealed) VALUES (2024, 0, ?)", [sealed])
            try refused("does not open", ["stats", "incidents", "--by", "sex", "--from", "2024-01", "--to", "2024-12"])
            // Deleted: the log says 2025 was published, so it is not published again.
            try v.execute("DELETE FROM statistics_releases WHERE year = 2025", [])
            try refused("is gone, but audit entry")
            #expect(try v.auditLog(["--all"]).filter { $0.action == "stats.publish" }.count == 1)
            // Put back as it was, it answers as before.
            try v.execute("INSERT INTO statistics_releases (year, published_at, sealed) VALUES (2025, 0, ?)", [sealed])
            #expect(try v.expectOK(as: "analyst", query).stdout == before)
        }

        /// A root key rotation seals each release again under the new key, and a backup
        /// carries the releases: both answer as before.
        @Test func aReleaseOutlivesARotationAndARestore() throws {
            let (v, _) = try StatisticsTests.populated.copy()
            let query = ["--by", "province,incident_type"] + Self.feb
            let before = try Self.published(v, query)
            let sealed = try v.scalarBlob("SELECT sealed FROM statistics_releases WHERE year = ?", ["2025"])
            try v.expectOK(as: "admin", ["operator", "rotate-root"])
            #expect(try v.scalarBlob("SELECT sealed FROM statistics_releases WHERE year = ?", ["2025"]) != sealed)
            #expect(try Self.published(v, query) == before)
            let archive = v.root + "/vault.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
            let target = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: target.data)
            let restored = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--root-key",
                                                            v.data + "/root.key", "--policy", v.policy])
            #expect(restored.status == 0, "\(restored)")
            try target.start(extraArguments: ["--root-key", v.data + "/root.key"])
            #expect(try Self.published(target, query) == before)
            #expect(try target.auditLog(["--all"]).filter { $0.action == "stats.publish" }.count == 1)
        }

        /// The policy allows a breakdown after the year was published: the year is not
        /// computed again for it; the release says it is frozen.
        @Test func aBreakdownAllowedAfterThePublicationIsRefusedAsFrozen() throws {
            let dir = "/tmp/hv-policy-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try FileManager.default.copyItem(atPath: Repository.path("policy"), toPath: dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let v = try TestVault(policy: dir)
            _ = try StatisticsTests.populate(v)
            try v.expectOK(as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-12", "--by", "sex"])
            let file = dir + "/statistics.yaml"
            let allowed = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "  - [record_type]\n", with: "  - [incident_type, sex]\n")
            try allowed.write(toFile: file, atomically: true, encoding: .utf8)
            v.send(SIGHUP)
            try waitFor { v.daemonLog.contains("policy reloaded") }
            let frozen = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-12", "--by", "sex,incident_type"])
            #expect(frozen.status == 1 && frozen.stderr.contains("release is frozen") && frozen.stderr.contains("incident_type,province"),
                    "\(frozen)")
            // A breakdown no longer listed is refused at once, though the release holds it.
            let removed = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-12", "--by", "record_type"])
            #expect(removed.status == 3 && removed.stderr.contains("not among the breakdowns the policy allows"), "\(removed)")
            #expect(try v.auditLog(["--all"]).filter { $0.action == "stats.publish" }.count == 1)
        }
    }
}
