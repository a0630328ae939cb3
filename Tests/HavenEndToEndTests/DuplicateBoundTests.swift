import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The duplicate check at `record create` when many records share a phone, with the real
    /// daemon and CLI: at most 20 named, the most recently changed first, with a count and
    /// how many candidates were left unchecked; the audit entry holds the count and no id;
    /// and past the hundred candidates the check walks for one value (`duplicateScan`), it
    /// still names 20 and says more may exist.
    @Suite struct DuplicateBoundTests {
        static let phone = "020 7000 1234"

        /// `count` records with the shared phone, created over the socket by `clients`
        /// sessions of intake at once; their ids.
        static func createSharing(_ v: TestVault, count: Int, clients: Int) async throws -> [String] {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        let client = try await v.client(as: "intake")
                        var ids = [String]()
                        for n in stride(from: c, to: count, by: clients) {
                            let r: RecordWriteResponse = try await client.post("/v1/records", CreateRecordRequest(
                                type: "gbv_incident", fields: ["survivor_name": "Shared Phone \(n)", "phone": Self.phone,
                                                               "incident_type": "physical_assault"], assign: nil))
                            ids.append(r.id)
                        }
                        await client.close()
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }

        /// The vault's records with the phone, the most recently changed first, from the file.
        static func latestFirst(_ v: TestVault, _ ids: [String]) throws -> [String] {
            let wanted = Set(ids)
            return try v.withDatabase { db in
                let s = try db.statement("SELECT id FROM records ORDER BY updated_at DESC, id DESC")
                var out = [String]()
                while try s.step() {
                    let id = s.string(0)
                    if wanted.contains(id) { out.append(id) }
                }
                return out
            }
        }

        /// A create with the phone through the CLI: its id, its JSON answer and its audit entry.
        static func createAgain(_ v: TestVault) throws -> (String, PossibleDuplicates, AuditEntryView) {
            let r = try v.json(RecordWriteResponse.self, as: "intake", [
                "record", "create", "--type", "gbv_incident", "--field", "survivor_name=Shared Phone Again",
                "--field", "phone=+856 20 70001234", "--field", "incident_type=physical_assault"])
            let d = try #require(r.possibleDuplicates, "\(r)")
            let entry = try #require(try v.auditLog(["--record", r.id]).first { $0.action == "record.create" })
            return (r.id, d, entry)
        }

        @Test func twentyAreNamedLatestFirstAndTheRestAreCountedNeverPassedOverInSilence() async throws {
            let v = try TestVault()
            let first = try await Self.createSharing(v, count: 25, clients: 1)
            let (again, d, entry) = try Self.createAgain(v)
            let expected = Array(try Self.latestFirst(v, first).prefix(20))
            #expect(d.records.map(\.id) == expected, "\(d.records.map(\.id))")
            #expect(d.records.allSatisfy { $0.matched == ["phone"] })
            #expect(d.count == 20 && d.unchecked == 5 && d.elsewhere.isEmpty, "\(d.count) \(d.unchecked)")
            // The audit entry: how many, never which.
            #expect(entry.detail["possible_duplicates"] == "20" && entry.detail["duplicates_unchecked"] == "5", "\(entry.detail)")
            let logged = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
            #expect(first.allSatisfy { !logged.contains($0) }, "\(logged)")
            // The text output names the 20 on stderr and says more may exist.
            let text = try v.expectOK(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=Shared Text",
                                                     "--field", "phone=\(Self.phone)", "--field", "incident_type=physical_assault"])
            let lines = text.stderr.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("possible duplicate: ") }.count == 20, "\(text.stderr)")
            #expect(lines.last == "possible duplicates: 20 listed; more may exist (6 further candidates unchecked)", "\(text.stderr)")
            let textID = text.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            // Past the hundred candidates the check walks for one value, it still names 20 —
            // the most recently changed of the hundred the index names first, in its own
            // (record id) order — and counts the 80 it did not open, rather than saying
            // nothing; a create costs the same with 2,027 records on the phone as with 100.
            let more = try await Self.createSharing(v, count: 2_000, clients: 8)
            let (_, past, pastEntry) = try Self.createAgain(v)
            let sharing = first + [again, textID] + more
            #expect(sharing.count == 2_027)
            #expect(past.count == 20 && past.unchecked == 80, "\(past.count) \(past.unchecked)")
            let walked = Array(sharing.sorted().prefix(100))
            #expect(past.records.map(\.id) == Array(try Self.latestFirst(v, walked).prefix(20)))
            #expect(pastEntry.detail["possible_duplicates"] == "20" && pastEntry.detail["duplicates_unchecked"] == "80")
        }
    }
}
