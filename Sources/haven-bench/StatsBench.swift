import ArgumentParser
import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
@_spi(Bench) import HavenVault

/// `haven-bench stats`: `stats incidents` through the real daemon on seeded vaults. The first
/// query after the daemon starts (the page cache dropped first, where the machine allows it)
/// is timed as cold: on a new vault it computes and stores 2025's release (every breakdown of
/// the policy), and every later query is answered from that release; then each query a few
/// times warm. Optionally the statistics rows are
/// emptied before the start, to time their rebuild (an upgrade to schema 7, a root key
/// rotation, a change of `stats:` fields).
struct StatsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Anonymised statistics queries (stats incidents) over seeded vaults, cold and warm.")

    @Option(parsing: .upToNextOption, help: "Vault sizes, in records.") var records: [Int] = [10_000, 1_000_000]
    @Option(help: "Warm runs of each query.") var repeats: Int = 3
    @Option(help: "The policy directory havend enforces.") var policy: String = "policy"
    @Flag(help: "Empty the statistics rows before the start, and time their rebuild.") var rebuild = false
    @Option(help: "Working directory (default: a new one under /tmp, removed at the end). A vault of a size already seeded there is reused as it is (re-runs, profiling).")
    var workdir: String?
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    /// Queries an analyst would make for a national report of 2025.
    static let queries: [(from: String, to: String, by: [String])] = [
        ("2025-01", "2025-12", ["incident_type"]),
        ("2025-01", "2025-12", ["province", "incident_type"]),
        ("2025-01", "2025-12", ["month", "province"]),
        ("2025-04", "2025-06", ["sex", "province"]),
        ("2025-03", "2025-03", ["record_type"]),
    ]

    func run() async throws {
        let sizes = smoke ? [2_000] : records
        let warm = smoke ? 1 : repeats
        let loaded = try PolicyDirectory.load(policy)
        let work = workdir ?? NSTemporaryDirectory() + "haven-bench-stats-\(getpid())"
        defer { if workdir == nil { try? FileManager.default.removeItem(atPath: work) } }
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path

        var table = ResultTable(columns: ["records", "period", "by", "cold s", "warm s", "cells", "<5", "x", "published by"])
        var vaults = ResultTable(columns: ["records", "seeded in s", "start to ready s", "peak RSS MiB"])
        for size in sizes {
            let root = work + "/\(size)"
            let analystKeyPath = root + "/analyst.key"
            let reuse = FileManager.default.fileExists(atPath: root + "/data/" + Database.fileName)
                && FileManager.default.fileExists(atPath: analystKeyPath)
            let vault = reuse ? BenchVault.existing(in: root) : try BenchVault.create(in: root)
            let key = SigningKey.generate()
            let analystKey = reuse ? try SigningKey(seed: try KeyFiles.readSecret(kind: .ed25519Secret, path: analystKeyPath))
                : SigningKey.generate()
            let now = SystemClock().now()
            let intake = EnrolledUser(name: try UserName("intake-bench"), role: try RoleName("intake"),
                                      agency: try AgencyName("ossc-vientiane"), publicKey: key.publicKey.bytes, uid: nil,
                                      createdAt: now, createdBy: try UserName("admin"))
            let analyst = EnrolledUser(name: try UserName("analyst-bench"), role: try RoleName("analyst"),
                                       agency: try AgencyName("haven"), publicKey: analystKey.publicKey.bytes, uid: nil,
                                       createdAt: now, createdBy: try UserName("admin"))
            var seedTime: Double?
            if reuse {
                progress("reusing the vault of \(size) records in \(root)")
            } else {
                let seeder = try VaultSeeder(directory: vault.directory)
                try seeder.enrol([intake, analyst], by: try UserName("admin"))
                let took = try seconds { _ = try seeder.createRecords(size, creator: intake, assignees: [], policy: loaded) }
                seedTime = took
                progress("seeded \(size) records in \(format(took, 1)) s")
                if workdir != nil {
                    let file = analystKey.seed().withUnsafeBytes { KeyFileFormat.encode(kind: .ed25519Secret, key: $0) }
                    try file.withUnsafeBytes { (b) throws(HavenError) in try KeyFiles.create(path: analystKeyPath, contents: b, mode: 0o600) }
                }
            }
            if rebuild {
                let db = try Database.open(path: vault.directory.databasePath)
                try StatisticsTable.removeAll(on: db)
                db.resetStatements()
            }
            // Not in a smoke run: it would slow everything else the machine is doing.
            if !smoke { Self.dropPageCache() }
            let daemon = try await DaemonProcess(binaries: binaries, vault: vault, policy: policy, log: vault.root + "/havend.log")
            progress("daemon ready in \(format(daemon.startToReady, 2)) s")
            let client = try await HavenClient.connect(socketPath: daemon.socket, key: analystKey)
            var first = true
            for q in Self.queries {
                let body = IncidentStatisticsRequest(from: q.from, to: q.to, by: q.by)
                var outcome: Result<StatisticsReport, HavenError>?
                func ask() async {
                    do throws(HavenError) {
                        outcome = .success(try await client.post("/v1/stats/incidents", body))
                    } catch {
                        outcome = .failure(error)
                    }
                }
                let cold = await timed { await ask() }
                var warmTimes = [Double]()
                for _ in 0..<warm { warmTimes.append(await timed { await ask() }) }
                warmTimes.sort()
                let period = "\(q.from)..\(q.to)"
                switch outcome! {
                case .success(let r):
                    table.add([String(size), r.period, q.by.joined(separator: ","), first ? format(cold, 2) : "",
                               format(warmTimes[warmTimes.count / 2], 2), String(r.rows.count), String(r.suppressed.small),
                               String(r.suppressed.complementary), r.publishedBy])
                case .failure(let e):
                    // A refusal (too few records for this breakdown) is timed like an answer.
                    table.add([String(size), period, q.by.joined(separator: ","), first ? format(cold, 2) : "",
                               format(warmTimes[warmTimes.count / 2], 2), "-", "-", "-", "refused: \(e.code.rawValue)"])
                }
                first = false
            }
            await client.close()
            vaults.add([String(size), seedTime.map { format($0, 1) } ?? "reused", format(daemon.startToReady, 2),
                        format(daemon.peakRSSMiB, 0)])
            try daemon.stop()
            if workdir == nil { try? FileManager.default.removeItem(atPath: vault.root) }
        }
        print("")
        table.print()
        print("")
        vaults.print()
        print("")
        let dropped = !smoke && Self.canDropCache
        print("cold: the first query after the daemon started\(dropped ? ", with the page cache dropped" : " (page cache not dropped)")"
              + "; on a vault without 2025's release, it computes and stores it (every breakdown); all others read it")
    }

    static var canDropCache: Bool { access("/proc/sys/vm/drop_caches", W_OK) == 0 }

    /// Writes the vault's dirty pages out and drops the kernel's page cache, so the first
    /// query reads the database from the disk.
    static func dropPageCache() {
        sync()
        guard canDropCache, let f = fopen("/proc/sys/vm/drop_caches", "w") else { return }
        fputs("3\n", f)
        fclose(f)
    }

    func timed(_ body: () async -> Void) async -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
