import ArgumentParser
import Foundation
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
@_spi(Bench) import HavenVault

/// `haven-bench audit-verify`: how fast a large audit log is verified, from the database
/// (what `haven audit verify` does through the daemon) and from an export file (offline).
struct AuditVerifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit-verify",
                                                    abstract: "Audit verification speed over a large log.")

    @Option(help: "Entries in the log.") var entries: Int = 1_000_000
    @Option(help: "Working directory (default: a new one under /tmp).") var workdir: String?

    func run() async throws {
        let work = workdir ?? NSTemporaryDirectory() + "haven-bench-\(getpid())"
        // An existing work directory with a vault in it is reused as it is (re-runs, profiling).
        let reuse = FileManager.default.fileExists(atPath: work + "/data/" + Database.fileName)
        let vault = reuse ? BenchVault.existing(in: work) : try BenchVault.create(in: work)
        defer { if workdir == nil { try? FileManager.default.removeItem(atPath: work) } }
        let seeder = try VaultSeeder(directory: vault.directory)
        if !reuse {
            let seedTime = try seconds { try seeder.appendAuditEntries(entries) }
            print("seeded \(seeder.auditSize) audit entries in \(format(seedTime, 1)) s")
        }

        var table = ResultTable(columns: ["verification", "entries", "seconds", "entries/s"])
        // From the store, exactly as the daemon's `audit verify` does.
        var report = VerificationReport()
        let storeTime = try seconds {
            report = try StoredLogScan.run(databasePath: vault.directory.databasePath, vaultKey: seeder.vaultPublicKey,
                                           vault: seeder.vaultID, entries: seeder.entryTags).report
        }
        guard report.ok else { throw ValidationError("verification failed: \(report.problems)") }
        table.add(["from the database (daemon)", String(report.entries), format(storeTime, 2), format(Double(report.entries) / storeTime)])

        let db = try Database.openReader(path: vault.directory.databasePath)
        // The pure verifier over entries already in memory: the ceiling of the algorithm.
        var all = [[UInt8]]()
        all.reserveCapacity(entries)
        var checkpoints = [SignedCheckpoint]()
        for row in try AuditTable.checkpoints(on: db) { checkpoints.append(try SignedCheckpoint(json: row.note)) }
        try AuditTable.forEachEntry(in: 0..<UInt64(Int64.max), on: db) { _, e, _ in all.append(Array(e)) }
        let memoryTime = seconds {
            var v = LogVerifier(vaultKey: seeder.vaultPublicKey, vault: seeder.vaultID, checkpoints: checkpoints)
            var batch = VerificationBatch()
            for e in all {
                e.withUnsafeBytes { batch.append(entry: $0, storedLeafHash: nil) }
                if batch.count == 32768 { v.add(batch); batch.removeAll() }
            }
            v.add(batch)
            report = v.finish()
        }
        table.add(["in memory (verifier only)", String(report.entries), format(memoryTime, 2), format(Double(report.entries) / memoryTime)])
        let singleTime = seconds {
            var v = LogVerifier(vaultKey: seeder.vaultPublicKey, vault: seeder.vaultID, checkpoints: checkpoints)
            for e in all { v.add(entry: e) }
            report = v.finish()
        }
        table.add(["in memory, one core", String(report.entries), format(singleTime, 2), format(Double(report.entries) / singleTime)])
        table.print()
    }
}
