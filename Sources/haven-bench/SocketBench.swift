import ArgumentParser
import Foundation
import HavenClient
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
@_spi(Bench) import HavenVault
import NIOPosix

/// `haven-bench socket`: the real daemon over its real socket, driven by authenticated
/// keep-alive clients, on vaults of several sizes.
struct SocketBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "socket",
        abstract: "Audited reads, updates and creates through havend's socket, against the cheapest authenticated request.")

    @Option(parsing: .upToNextOption, help: "Vault sizes, in records.") var records: [Int] = [10_000, 100_000, 1_000_000]
    @Option(parsing: .upToNextOption, help: "Concurrent keep-alive connections.") var connections: [Int] = [1, 16, 64]
    @Option(parsing: .upToNextOption, help: "Workloads: status, read, update, create, create-shared, mix, find.")
    var workloads: [String] = Workload.allCases.map(\.rawValue)
    @Option(help: "Seconds each workload is measured.") var seconds: Double = 5
    @Option(help: "The policy directory havend enforces (a copy of it: the find workload's role at the fastest find_limit allowed).")
    var policy: String = "policy"
    @Option(help: "Users the find workload is spread over, one connection each, so that none goes over find_limit.")
    var finders: Int = 1000
    @Option(help: "Working directory (default: a new one under /tmp, removed at the end). A vault of a size seeded there by an earlier run is kept and measured again as it is, with what earlier runs wrote to it (re-runs, profiling).")
    var workdir: String?
    @Option(help: "The load client: 'raw' (one epoll thread writing prepared bytes, a few µs per request) or 'nio' (HavenClient's own connections, as the CLI uses them).")
    var client: String = "raw"
    @Option(parsing: .upToNextOption,
            help: "havend binaries measured one after the other on each seeded vault, for a before-and-after on the same data (default: the havend beside haven-bench).")
    var havend: [String] = []
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    func run() async throws {
        let sizes = smoke ? [500] : records
        let widths = smoke ? [1, 4] : connections
        let duration = smoke ? 0.3 : seconds
        let kinds = try workloads.map { name -> Workload in
            guard let w = Workload(rawValue: name) else { throw ValidationError("unknown workload '\(name)'") }
            return w
        }
        guard client == "raw" || client == "nio" else { throw ValidationError("--client is raw or nio") }
        guard finders >= widths.max() ?? 1 else { throw ValidationError("--finders is at least the most --connections") }
        let work = workdir ?? NSTemporaryDirectory() + "haven-bench-\(getpid())"
        defer { if workdir == nil { try? FileManager.default.removeItem(atPath: work) } }
        let (policy, loaded) = try FinderPolicy.copy(self.policy, into: work + "/policy")
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path
        let daemons = havend.isEmpty ? [binaries + "/havend"] : havend
        // With more than one daemon, each row says which one it measured.
        let which = daemons.count > 1 ? ["havend"] : []
        func label(_ n: Int) -> [String] { daemons.count > 1 ? [daemons[n]] : [] }

        var table = ResultTable(columns: which + ["records", "conns", "workload", "req/s", "p50 ms", "p99 ms", "p999 ms",
                                          "daemon CPU µs/req", "client CPU µs/req", "written KiB/req", "peak RSS MiB",
                                          "private MiB", "file MiB", "vs status", "vs reads", "refused/s"])
        var vaults = ResultTable(columns: which + ["records", "seeded in s", "start to ready s", "peak RSS MiB", "private MiB",
                                                   "file MiB", "failures"])
        var indexes = ResultTable(columns: ["records", "index", "bits", "rows", "values used", "C expected", "C measured", "largest"])
        var totalFailures = 0
        for size in sizes {
            let root = work + "/\(size)"
            let counsellors = (0..<max(widths.max() ?? 1, 1)).map { "counsellor-\($0)" }
            let searchers = kinds.contains(.find) ? (0..<(smoke ? min(finders, 32) : finders)).map { "finder-\($0)" } : []
            let vault: BenchVault
            let keys: [String: SigningKey], ids: [RecordID], seedTime: Double
            if workdir != nil, let saved = try SeededVault.load(in: root) {
                vault = BenchVault.existing(in: root)
                (keys, ids, seedTime) = saved
                guard counsellors.allSatisfy({ keys[$0] != nil }), searchers.allSatisfy({ keys[$0] != nil }) else {
                    throw BenchFailure("the vault in \(root) was seeded for fewer connections or finders; use another --workdir")
                }
                progress("reusing the vault of \(size) records in \(root)")
            } else {
                vault = try BenchVault.create(in: root)
                (keys, ids, seedTime) = try seed(vault, records: size, counsellors: counsellors, searchers: searchers, policy: loaded)
                if workdir != nil { try SeededVault.save(keys, ids, seconds: seedTime, in: root) }
                progress("seeded \(size) records in \(format(seedTime, 1)) s")
            }
            if kinds.contains(.find) { try measureIndexes(vault, records: size, into: &indexes) }

            for (n, executable) in daemons.enumerated() {
                let daemon = try await DaemonProcess(executable: executable, vault: vault, policy: policy, log: vault.root + "/havend.log")
                let failures = try await measureAll(on: daemon, label: label(n), size: size, widths: widths, kinds: kinds, keys: keys,
                                                    ids: ids, counsellors: counsellors, searchers: searchers, seconds: duration,
                                                    into: &table)
                vaults.add(label(n) + [String(size), format(seedTime, 1), format(daemon.startToReady, 2), format(daemon.peakRSSMiB, 0),
                                       format(daemon.peakPrivateMiB, 0), format(daemon.peakFileMiB, 0), String(failures)])
                totalFailures += failures
                try daemon.stop()
            }
            if workdir == nil { try? FileManager.default.removeItem(atPath: vault.root) }
        }
        print("")
        table.print()
        print("")
        vaults.print()
        if kinds.contains(.find) {
            print("")
            indexes.print()
        }
        guard totalFailures == 0 else { throw BenchFailure("\(totalFailures) requests failed; the numbers above do not count") }
    }

    /// Enrols the benchmark's users and creates the records; returns their keys, the ids and
    /// the seconds the records took.
    /// `searchers`: counsellors with no records, whom the find workload searches as, and
    /// with them `FindScript.user`, an intake user whose finds show one user's pace.
    func seed(_ vault: BenchVault, records: Int, counsellors: [String], searchers: [String],
              policy: Policy) throws -> ([String: SigningKey], [RecordID], Double) {
        let seeder = try VaultSeeder(directory: vault.directory)
        var keys = [String: SigningKey]()
        var users = [EnrolledUser]()
        let now = SystemClock().now()
        let script = searchers.isEmpty ? [] : [FindScript.user]
        for name in searchers + script + counsellors + ["intake-bench"] {
            let key = SigningKey.generate()
            keys[name] = key
            let intake = name == "intake-bench" || name == FindScript.user
            users.append(EnrolledUser(name: try UserName(name), role: try RoleName(intake ? "intake" : "counsellor"),
                                      agency: try AgencyName("ossc-vientiane"), publicKey: key.publicKey.bytes, uid: nil,
                                      createdAt: now, createdBy: try UserName("admin")))
        }
        try seeder.enrol(users, by: try UserName("admin"))
        var ids = [RecordID]()
        let time = try haven_bench.seconds {
            ids = try seeder.createRecords(records, creator: users.last!, assignees: users.suffix(counsellors.count + 1).dropLast().map(\.name),
                                           policy: policy)
        }
        return (keys, ids, time)
    }

    /// The blind indexes as seeded: for each searchable field, how many records share an
    /// index value (C), against the design's R / 2^bits.
    func measureIndexes(_ vault: BenchVault, records: Int, into table: inout ResultTable) throws {
        let db = try Database.openReader(path: vault.directory.databasePath)
        defer { db.resetStatements() }
        for layout in try SearchIndexTable.layout(on: db).sorted(by: { $0.field < $1.field }) {
            let sizes = try SearchIndexTable.bucketSizes(field: layout.field, on: db)
            let rows = sizes.reduce(0, +)
            let buckets = 1 << layout.bits
            table.add([String(records), layout.field, String(layout.bits), String(rows), String(sizes.count),
                       format(Double(rows) / Double(buckets), 2),
                       format(Double(rows) / Double(max(sizes.count, 1)), 2), String(sizes.max() ?? 0)])
        }
    }

    /// Every workload at every width against one running daemon, a row each; returns how
    /// many requests failed.
    func measureAll(on daemon: DaemonProcess, label: [String], size: Int, widths: [Int], kinds: [Workload],
                    keys: [String: SigningKey], ids: [RecordID], counsellors: [String], searchers: [String],
                    seconds duration: Double, into table: inout ResultTable) async throws -> Int {
        var failures = 0
        // One ledger per daemon: its buckets live as long as it does.
        let finders = searchers.isEmpty ? nil : Finders(users: searchers, pool: FinderPool(count: searchers.count, limit: FinderPolicy.fastest))
        for width in widths {
            var status = 0.0, reads = 0.0
            for kind in kinds {
                let users = kind.asIntake ? ["intake-bench"] : counsellors
                var r = if kind == .find, let finders {
                    try await measureFinds(width: width, finders: finders, keys: keys, population: size, daemon: daemon,
                                           seconds: duration)
                } else {
                    try await measure(kind, width: width, users: users, keys: keys, ids: ids, counsellors: counsellors,
                                      population: size, daemon: daemon, seconds: duration)
                }
                if r.spent {
                    progress("find at \(width) connections: every finder's find_limit spent after \(format(r.seconds, 1)) s; "
                             + "the row is of that time (--finders raises it)")
                }
                if r.failures > 0 {
                    failures += r.failures
                    progress("\(kind) at \(width) connections: \(r.failures) failed, first: \(r.firstFailure ?? "?")")
                }
                if kind == .status { status = r.throughput }
                if kind == .read { reads = r.throughput }
                // In one run: reads against the cheapest request, creates against reads.
                let versus = kind == .read && status > 0 ? format(100 * r.throughput / status, 0) + " %" : ""
                let versusReads = kind.asIntake && reads > 0 ? format(100 * r.throughput / reads, 0) + " %" : ""
                let perRequest = 1 / Double(max(r.requests, 1))
                table.add(label + [String(size), String(width), kind.rawValue, format(r.throughput),
                                   format(r.latencies.percentile(50), 2), format(r.latencies.percentile(99), 2),
                                   format(r.latencies.percentile(99.9), 2), format(r.daemonCPU * 1e6 * perRequest, 0),
                                   r.clientCPU.map { format($0 * 1e6 * perRequest, 0) } ?? "",
                                   format(r.daemonWritten / 1024 * perRequest, 1), format(daemon.peakRSSMiB, 0),
                                   format(daemon.peakPrivateMiB, 0), format(daemon.peakFileMiB, 0), versus, versusReads, ""])
            }
        }
        if kinds.contains(.find) {
            // After every width, on a user that has not searched since the daemon started.
            var r = try await measureOneUser(keys: keys, population: size, daemon: daemon, seconds: max(duration, 1))
            let answered = r.requests - r.refused
            failures += r.failures
            if r.failures > 0 { progress("\(FindScript.row): \(r.failures) failed, first: \(r.firstFailure ?? "?")") }
            table.add(label + [String(size), "1", FindScript.row, format(Double(answered) / r.seconds, 1),
                               format(r.latencies.percentile(50), 2), format(r.latencies.percentile(99), 2),
                               format(r.latencies.percentile(99.9), 2), format(r.daemonCPU * 1e6 / Double(max(r.requests, 1)), 0),
                               r.clientCPU.map { format($0 * 1e6 / Double(max(r.requests, 1)), 0) } ?? "",
                               format(r.daemonWritten / 1024 / Double(max(r.requests, 1)), 1), format(daemon.peakRSSMiB, 0),
                               format(daemon.peakPrivateMiB, 0), format(daemon.peakFileMiB, 0), "", "",
                               format(Double(r.refused) / r.seconds, 1)])
        }
        return failures
    }

    /// One measured run: what the load client saw and what the daemon and client spent.
    struct Measured {
        var requests: Int
        var failures: Int
        var firstFailure: String?
        var throughput: Double
        /// Refused with 429 and not counted as failures (the row of one user's script only).
        var refused = 0
        var seconds = 0.0
        /// Whether the run ended early, every finder's bucket spent.
        var spent = false
        var latencies: Latencies
        var daemonCPU: Double
        /// Bytes the daemon wrote to storage during the run.
        var daemonWritten: Double
        /// The client's CPU seconds, where the client measures them (raw).
        var clientCPU: Double?
    }

    /// Connects `width` clients as `users`, warms up, and measures one run of `kind`.
    func measure(_ kind: Workload, width: Int, users: [String], keys: [String: SigningKey], ids: [RecordID], counsellors: [String],
                 population: Int, daemon: DaemonProcess, seconds duration: Double) async throws -> Measured {
        let warmUp = min(0.5, duration / 5)
        if client == "nio" {
            let clients = try await connect(width, as: users, keys: keys, ids: ids, counsellors: counsellors, socket: daemon.socket)
                .map { var c = $0; c.population = population; return c }
            _ = await LoadRun.run(kind, clients: clients, seconds: warmUp)
            let (cpuBefore, writtenBefore) = (daemon.cpuSeconds, daemon.writtenBytes)
            let r = await LoadRun.run(kind, clients: clients, seconds: duration)
            let (cpu, written) = (daemon.cpuSeconds - cpuBefore, daemon.writtenBytes - writtenBefore)
            for c in clients { await c.connection.close() }
            return Measured(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, throughput: r.throughput,
                            latencies: r.latencies, daemonCPU: cpu, daemonWritten: written, clientCPU: nil)
        }
        var clients = [RawLoadRun.Client]()
        for n in 0..<width {
            let user = users[n % users.count]
            let connection = try RawConnection(socket: daemon.socket)
            try connection.authenticate(keys[user]!)
            let k = n % counsellors.count
            clients.append(RawLoadRun.Client(connection: connection, user: counsellors[k], records: Self.records(of: k, ids, counsellors),
                                             population: population))
        }
        _ = await RawLoadRun.run(kind, clients: clients, seconds: warmUp)
        let (cpuBefore, writtenBefore) = (daemon.cpuSeconds, daemon.writtenBytes)
        let r = await RawLoadRun.run(kind, clients: clients, seconds: duration)
        let (cpu, written) = (daemon.cpuSeconds - cpuBefore, daemon.writtenBytes - writtenBefore)
        return Measured(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, throughput: r.throughput,
                        latencies: r.latencies, daemonCPU: cpu, daemonWritten: written, clientCPU: r.clientCPU)
    }

    /// Opens `count` authenticated connections, the n-th as `users[n % users.count]`.
    func connect(_ count: Int, as users: [String], keys: [String: SigningKey], ids: [RecordID], counsellors: [String],
                 socket: String) async throws -> [LoadRun.Client] {
        var clients = [LoadRun.Client]()
        for n in 0..<count {
            let user = users[n % users.count]
            let session = try await HavenClient.connect(socketPath: socket, key: keys[user]!)
            let k = n % counsellors.count
            clients.append(LoadRun.Client(connection: session.connection, user: counsellors[k], records: Self.records(of: k, ids, counsellors)))
        }
        return clients
    }

    /// The records of the k-th counsellor: they are assigned round-robin at seeding, so
    /// every record whose index is k modulo the number of counsellors.
    static func records(of k: Int, _ ids: [RecordID], _ counsellors: [String]) -> [RecordID] {
        stride(from: k, to: ids.count, by: counsellors.count).map { ids[$0] }
    }
}
