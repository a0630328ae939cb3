import ArgumentParser
import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenStore
@_spi(Bench) import HavenVault

/// `haven-bench duplicates`: what the duplicate check at `record create` costs when many
/// records share a phone. Through the real daemon, `--sharing` records get one phone; then
/// each timed create with that phone is measured: its answer's size, its audit entry's size
/// and its time. `--havend` runs another build's daemon against the same client, to compare
/// two versions on one machine.
struct DuplicatesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Creates with a phone that many records share: answer size, audit entry size, ms per create.")

    @Option(parsing: .upToNextOption, help: "How many records share the phone, one row each.") var sharing: [Int] = [1_000]
    @Option(help: "Timed creates per row.") var creates: Int = 50
    @Option(help: "The policy directory havend enforces.") var policy: String = "policy"
    @Option(help: "The havend to run (default: the one beside haven-bench).") var havend: String?
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    static let phone = "020 7000 1234"

    func run() async throws {
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path
        var table = ResultTable(columns: ["sharing", "creates", "answer bytes", "audit entry bytes", "listed", "p50 ms", "mean ms"])
        for count in smoke ? [30] : sharing {
            let work = NSTemporaryDirectory() + "haven-bench-duplicates-\(getpid())-\(count)"
            defer { try? FileManager.default.removeItem(atPath: work) }
            let vault = try BenchVault.create(in: work)
            let key = SigningKey.generate()
            let intake = EnrolledUser(name: try UserName("intake-bench"), role: try RoleName("intake"),
                                      agency: try AgencyName("ossc-vientiane"), publicKey: key.publicKey.bytes, uid: nil,
                                      createdAt: SystemClock().now(), createdBy: try UserName("admin"))
            try VaultSeeder(directory: vault.directory).enrol([intake], by: try UserName("admin"))
            let daemon = try await DaemonProcess(executable: havend ?? binaries + "/havend", vault: vault, policy: policy,
                                                 log: work + "/havend.log")
            progress("creating \(count) records that share a phone")
            var connections = [HavenClient]()
            for _ in 0..<8 { connections.append(try await HavenClient.connect(socketPath: daemon.socket, key: key)) }
            let bulk = connections
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (c, client) in bulk.enumerated() {
                    group.addTask {
                        for n in stride(from: c, to: count, by: bulk.count) { _ = try await create(client, n) }
                    }
                }
                try await group.waitForAll()
            }
            for c in bulk { await c.close() }

            let client = try await HavenClient.connect(socketPath: daemon.socket, key: key)
            let timed = smoke ? 5 : creates
            var samples = [UInt64]()
            var answer = 0, listed = 0
            for n in 0..<timed {
                let start = DispatchTime.now().uptimeNanoseconds
                let (bytes, listedNow) = try await create(client, count + n)
                samples.append(DispatchTime.now().uptimeNanoseconds - start)
                answer = bytes
                listed = listedNow
            }
            await client.close()
            try daemon.stop()
            let db = try Connection(path: vault.directory.databasePath, mode: .readOnly)
            let s = try db.statement("SELECT length(entry) FROM audit_entries WHERE action = 'record.create' ORDER BY seq DESC LIMIT 1")
            _ = try s.step()
            let entry = Int(s.int64(0))
            db.resetStatements()
            var l = Latencies()
            l.add(samples)
            let mean = Double(samples.reduce(0, +)) / Double(samples.count) / 1e6
            table.add([String(count), String(timed), String(answer), String(entry), String(listed), format(l.percentile(50), 2),
                       format(mean, 2)])
        }
        print("")
        table.print()
    }

    /// One create with the shared phone: its answer's bytes, and how many possible duplicates it named.
    func create(_ c: HavenClient, _ n: Int) async throws -> (Int, Int) {
        let body = try JSONEncoder().encode(CreateRecordRequest(
            type: "gbv_incident", fields: ["survivor_name": "Shared Phone \(n)", "phone": Self.phone, "incident_type": "physical_assault"],
            assign: nil))
        let r = try await c.connection.send(method: .POST, path: "/v1/records", body: Array(body))
        guard r.status == 201 || r.status == 200 else { throw BenchFailure("create answered \(r.status)") }
        let answer = try JSONDecoder().decode(RecordWriteResponse.self, from: Data(r.body))
        return (r.body.count, answer.possibleDuplicates?.records.count ?? 0)
    }
}
