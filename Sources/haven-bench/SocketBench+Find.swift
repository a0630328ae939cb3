import HavenClient
import HavenCore
import HavenCrypto

/// The user whose finds show what one user's script gets: an intake user, at its role's
/// `find_limit` as given (the bench's copy of the policy changes only the counsellor's).
enum FindScript {
    static let user = "find-script"
    static let row = "find, one user"
}

extension SocketBench {
    /// The find workload's users and their ledger, which lives as long as the daemon's
    /// buckets do; their connections are opened for each run, so that none sits idle past
    /// havend's idle timeout while the other workloads run.
    struct Finders {
        let users: [String]
        let pool: FinderPool
    }

    /// One connection per searcher, by the load client in use.
    func connectFinders(_ searchers: [String], keys: [String: SigningKey], population: Int,
                        socket: String) async throws -> (raw: [RawLoadRun.Client], nio: [LoadRun.Client]) {
        var raw = [RawLoadRun.Client]()
        var nio = [LoadRun.Client]()
        for user in searchers {
            if client == "nio" {
                let session = try await HavenClient.connect(socketPath: socket, key: keys[user]!)
                nio.append(LoadRun.Client(connection: session.connection, user: user, records: [], population: population))
            } else {
                let connection = try RawConnection(socket: socket)
                try connection.authenticate(keys[user]!)
                raw.append(RawLoadRun.Client(connection: connection, user: user, records: [], population: population))
            }
        }
        return (raw, nio)
    }

    /// `width` finds in flight, each as a searcher with a find left, after a warm-up.
    func measureFinds(width: Int, finders: Finders, keys: [String: SigningKey], population: Int, daemon: DaemonProcess,
                      seconds duration: Double) async throws -> Measured {
        let warmUp = min(0.5, duration / 5)
        let clients = try await connectFinders(finders.users, keys: keys, population: population, socket: daemon.socket)
        func run(_ seconds: Double) async -> (RawLoadRun.Result, Bool) {
            if client == "nio" {
                let r = await LoadRun.run(.find, clients: clients.nio, seconds: seconds, pool: finders.pool, width: width)
                return (RawLoadRun.Result(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, seconds: r.seconds,
                                          clientCPU: .nan, latencies: r.latencies), finders.pool.spent)
            }
            let r = await RawLoadRun.run(.find, clients: clients.raw, seconds: seconds, pool: finders.pool, width: width)
            return (r, finders.pool.spent)
        }
        _ = await run(warmUp)
        let (cpuBefore, writtenBefore) = (daemon.cpuSeconds, daemon.writtenBytes)
        let (r, spent) = await run(duration)
        let (cpu, written) = (daemon.cpuSeconds - cpuBefore, daemon.writtenBytes - writtenBefore)
        for c in clients.nio { await c.connection.close() }
        return Measured(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, throughput: r.throughput,
                        seconds: r.seconds, spent: spent, latencies: r.latencies, daemonCPU: cpu, daemonWritten: written,
                        clientCPU: client == "nio" ? nil : r.clientCPU)
    }

    /// One connection as `FindScript.user` searching as fast as it is answered, from its
    /// first find (no warm-up, which would spend its burst): answered and refused apart.
    func measureOneUser(keys: [String: SigningKey], population: Int, daemon: DaemonProcess,
                        seconds duration: Double) async throws -> Measured {
        let connection = try RawConnection(socket: daemon.socket)
        try connection.authenticate(keys[FindScript.user]!)
        let one = RawLoadRun.Client(connection: connection, user: FindScript.user, records: [], population: population)
        let (cpuBefore, writtenBefore) = (daemon.cpuSeconds, daemon.writtenBytes)
        let r = await RawLoadRun.run(.find, clients: [one], seconds: duration, countingRefusals: true)
        let (cpu, written) = (daemon.cpuSeconds - cpuBefore, daemon.writtenBytes - writtenBefore)
        return Measured(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, throughput: r.throughput,
                        refused: r.refused, seconds: r.seconds, latencies: r.latencies, daemonCPU: cpu, daemonWritten: written,
                        clientCPU: r.clientCPU)
    }
}
