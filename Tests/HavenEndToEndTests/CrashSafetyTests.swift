import Foundation
import Glibc
import HavenAPI
import HavenAudit
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Concurrent writes and reads from several clients, the daemon killed with SIGKILL at a
    /// random moment, restarted, and checked: every acknowledged write is there and reads back
    /// intact, every acknowledged read has its audit entry, the log verifies, the daemon
    /// starts cleanly. HAVEN_CRASH_CYCLES sets the number of cycles (scripts/soak-crash.sh).
    @Suite struct CrashSafetyTests {
        static let cycles = Int(ProcessInfo.processInfo.environment["HAVEN_CRASH_CYCLES"] ?? "") ?? 20

        // Each cycle re-reads every record so far and verifies the whole log: work grows with
        // the square of the cycles, and so does the limit (100 cycles took 87 s in release).
        @Test(.timeLimit(.minutes(max(10, cycles * cycles / 500))))
        func acknowledgedWritesAndReadsSurviveSIGKILL() async throws {
            let v = try TestVault()
            let ledger = Ledger()
            var rng = SeededRandom(seed: UInt64(Date().timeIntervalSince1970))
            var readsChecked = 0
            for cycle in 0..<Self.cycles {
                var clients = [CrashClient]()
                for n in 0..<4 {
                    clients.append(CrashClient(number: n, cycle: cycle, ledger: ledger, socket: v.socket, client: try await v.client(as: "intake")))
                }
                let killAfter = Int.random(in: 150...600, using: &rng)
                await withTaskGroup(of: Void.self) { group in
                    for c in clients { group.addTask { await c.run() } }
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(killAfter))
                        v.crash()
                    }
                }
                for c in clients { await c.client.close() }

                try v.start()
                #expect(!v.daemonLog.contains("refusing to start"))
                readsChecked += try await check(v, ledger, cycle: cycle)
            }
            let ops = await ledger.operations
            print("crash: \(Self.cycles) SIGKILL cycles, \(ops) acknowledged operations, \(await ledger.records.count) records, \(readsChecked) read entries checked")
            #expect(ops > Self.cycles * 10)
        }

        /// Returns the number of read entries checked.
        func check(_ v: TestVault, _ ledger: Ledger, cycle: Int) async throws -> Int {
            let records = await ledger.records
            let client = try await v.client(as: "intake")
            for (id, expected) in records {
                let r: ReadRecordResponse = try await client.post("/v1/records/\(id)/read",
                                                                  ReadRecordRequest(purpose: "check after crash", fields: nil, breakGlass: nil))
                #expect(r.fields["survivor_name"] == expected.name, "cycle \(cycle): \(id) lost its name")
                let description = (r.fields["incident_description"] ?? nil) ?? ""
                let index = expected.submitted.firstIndex(of: description)
                #expect(index != nil && index! >= expected.acknowledged,
                        "cycle \(cycle): \(id) reads '\(description)', but '\(expected.submitted[expected.acknowledged])' was acknowledged")
                let consent: ConsentResponse = try await client.get("/v1/records/\(id)/consent?history_limit=1000")
                #expect(consent.history.count == Int(consent.historyTotal), "cycle \(cycle): \(id) has more history than one page")
                let police = consent.history.filter { $0.flag == "police" }.map(\.kind)
                #expect(expected.consentMatches(police), "cycle \(cycle): \(id) consent history \(police), sent \(expected.consentSent)")
            }
            await client.close()
            let reads = await ledger.reads
            let missing = try v.withDatabase { db -> [String] in
                var out = [String]()
                for (seq, id) in reads {
                    let s = try db.statement("SELECT entry FROM audit_entries WHERE seq = ?")
                    try s.bind(1, Int64(seq))
                    guard try s.step() else { out.append("seq \(seq) missing"); continue }
                    let e = String(decoding: s.blob(0), as: UTF8.self)
                    if !(e.contains("\"action\":\"record.read\"") && e.contains("\"record\":\"\(id)\"") && e.contains("\"decision\":\"allow\"")) {
                        out.append("seq \(seq) is not the read of \(id)")
                    }
                }
                return out
            }
            #expect(missing.isEmpty, "cycle \(cycle): acknowledged reads without their entry: \(missing.prefix(5))")
            let verified = try v.haven(as: "auditor", ["audit", "verify", "--json"])
            #expect(verified.status == 0, "cycle \(cycle): \(verified)")
            return reads.count
        }
    }
}
