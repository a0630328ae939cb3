import ArgumentParser
import Foundation
import HavenCore
import HavenCrypto
import HavenPolicy
@_spi(Bench) import HavenVault

/// `haven-bench web`: the real haven-web in front of the real havend, on seeded vaults,
/// driven over loopback HTTP by keep-alive clients signed in as a person of the desk.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "haven-web's list and record pages over loopback HTTP: p50/p99, pages/s, and haven-web's memory.",
        discussion: """
            Each vault is seeded as 'haven-bench socket' seeds it (records of ossc-vientiane, assigned \
            round-robin to counsellors). havend and haven-web (the binaries beside haven-bench) are \
            started on it; each web person is invited with 'haven-web invite', redeems the invitation \
            over HTTP, is enrolled by the administrator over the socket, and signs in over HTTP as an \
            intake officer of ossc-vientiane. The clients are spread over the people, each a keep-alive \
            HTTP/1.1 connection of its own asking for the next page as soon as the last has arrived.
            """)

    @Option(parsing: .upToNextOption, help: "Vault sizes, in records.") var records: [Int] = [10_000, 1_000_000]
    @Option(parsing: .upToNextOption, help: "Concurrent keep-alive HTTP clients.") var connections: [Int] = [1, 8, 32]
    @Option(parsing: .upToNextOption, help: "Pages: list (/records?scope=agency), record (/records/ID of a random record).")
    var pages: [String] = WebLoad.Page.allCases.map(\.rawValue)
    @Option(help: "Web people the clients are spread over, each signed in once (one havend session each).") var people = 1
    @Option(help: "Seconds each page is measured at each width.") var seconds: Double = 10
    @Option(help: "The policy directory havend and haven-web are started with.") var policy = "policy"
    @Option(help: "Working directory (default: a new one under /tmp, removed at the end).") var workdir: String?
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    func run() async throws {
        let sizes = smoke ? [300] : records
        let widths = smoke ? [1, 2] : connections
        let duration = smoke ? 0.5 : seconds
        let kinds = try pages.map { name -> WebLoad.Page in
            guard let p = WebLoad.Page(rawValue: name) else { throw ValidationError("unknown page '\(name)'") }
            return p
        }
        guard people >= 1 else { throw ValidationError("--people is at least 1") }
        let work = workdir ?? NSTemporaryDirectory() + "haven-bench-web-\(getpid())"
        defer { if workdir == nil { try? FileManager.default.removeItem(atPath: work) } }
        let policyPath = URL(fileURLWithPath: policy).standardizedFileURL.path
        let loaded = try PolicyDirectory.load(policyPath)
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path

        var table = ResultTable(columns: ["records", "conns", "page", "pages/s", "p50 ms", "p99 ms", "KiB/page", "web CPU µs/page",
                                          "havend CPU µs/page", "web RSS MiB", "web RssAnon MiB"])
        var memory = ResultTable(columns: ["records", "seeded in s", "people", "web RSS start MiB", "RssAnon start MiB",
                                           "RSS signed in MiB", "RSS after MiB", "RssAnon after MiB", "havend peak RSS MiB", "failures"])
        var totalFailures = 0
        for size in sizes {
            let vault = try BenchVault.create(in: work + "/\(size)")
            let (ids, seedTime) = try seed(vault, records: size, policy: loaded)
            progress("seeded \(size) records in \(format(seedTime, 1)) s")
            let daemon = try await DaemonProcess(binaries: binaries, vault: vault, policy: policyPath, log: vault.root + "/havend.log")
            let web = try await WebProcess(executable: binaries + "/haven-web", socket: daemon.socket, policy: policyPath, root: vault.root)
            let start = web.memoryMiB
            var signedIn = [WebPerson]()
            for n in 0..<people {
                signedIn.append(try await WebPerson.make("web-\(n)", role: "intake", agency: "ossc-vientiane", web: web,
                                                         socket: daemon.socket, admin: vault.adminKey!))
            }
            progress("\(people) web \(people == 1 ? "person" : "people") invited, enrolled and signed in")
            let afterSignIn = web.memoryMiB
            var failures = 0
            for width in widths {
                for kind in kinds {
                    let clients = try (0..<width).map {
                        WebLoad.Client(connection: try WebConnection(port: web.port), cookie: signedIn[$0 % signedIn.count].cookie)
                    }
                    _ = await WebLoad.run(kind, clients: clients, ids: ids, seconds: min(1, duration / 5))
                    let (webBefore, daemonBefore) = (web.cpuSeconds, daemon.cpuSeconds)
                    var r = await WebLoad.run(kind, clients: clients, ids: ids, seconds: duration)
                    let (webCPU, daemonCPU) = (web.cpuSeconds - webBefore, daemon.cpuSeconds - daemonBefore)
                    if r.failures > 0 {
                        failures += r.failures
                        progress("\(kind.rawValue) at \(width) clients: \(r.failures) failed, first: \(r.firstFailure ?? "?")")
                    }
                    let perPage = 1 / Double(max(r.pages, 1))
                    let now = web.memoryMiB
                    table.add([String(size), String(width), kind.rawValue, format(r.throughput, 1), format(r.latencies.percentile(50), 2),
                               format(r.latencies.percentile(99), 2), format(Double(r.bytes) / 1024 * perPage, 1),
                               format(webCPU * 1e6 * perPage, 0), format(daemonCPU * 1e6 * perPage, 0), format(now.rss, 0),
                               format(now.anon, 0)])
                }
            }
            let after = web.memoryMiB
            memory.add([String(size), format(seedTime, 1), String(people), format(start.rss, 1), format(start.anon, 1),
                        format(afterSignIn.rss, 1), format(after.rss, 1), format(after.anon, 1), format(daemon.peakRSSMiB, 0),
                        String(failures)])
            totalFailures += failures
            web.stop()
            try daemon.stop()
            try? FileManager.default.removeItem(atPath: vault.root)
        }
        print("")
        table.print()
        print("")
        memory.print()
        guard totalFailures == 0 else { throw BenchFailure("\(totalFailures) pages failed; the numbers above do not count") }
    }

    /// The records, created by an intake officer of ossc-vientiane and assigned round-robin
    /// to eight counsellors (so a list shows assignees); their ids and the seconds it took.
    func seed(_ vault: BenchVault, records: Int, policy: Policy) throws -> ([String], Double) {
        let seeder = try VaultSeeder(directory: vault.directory)
        let now = SystemClock().now()
        var users = [EnrolledUser]()
        for name in (0..<8).map({ "counsellor-\($0)" }) + ["intake-bench"] {
            users.append(EnrolledUser(name: try UserName(name), role: try RoleName(name == "intake-bench" ? "intake" : "counsellor"),
                                      agency: try AgencyName("ossc-vientiane"), publicKey: SigningKey.generate().publicKey.bytes, uid: nil,
                                      createdAt: now, createdBy: try UserName("admin")))
        }
        try seeder.enrol(users, by: try UserName("admin"))
        var ids = [RecordID]()
        let time = try haven_bench.seconds {
            ids = try seeder.createRecords(records, creator: users.last!, assignees: users.dropLast().map(\.name), policy: policy)
        }
        return (ids.map(\.rawValue), time)
    }
}
