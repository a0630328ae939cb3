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
    /// The find workload's users, connected and authenticated once for a daemon's life.
    struct Finders {
        let pool: FinderPool
        let raw: [RawLoadRun.Client]
        let nio: [LoadRun.Client]
    }

    /// One connection per searcher, by the load client in use.
    func connectFinders(_ searchers: [String], keys: [String: SigningKey], population: Int, socket: String) async throws -> Finders {
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
        return Finders(pool: FinderPool(count: searchers.count, limit: FinderPolicy.fastest), raw: raw, nio: nio)
    }

    /// `width` finds in flight, each as a searcher with a find left, after a warm-up.
    func measureFinds(width: Int, finders: Finders, daemon: DaemonProcess, seconds duration: Double) async -> Measured {
        let warmUp = min(0.5, duration / 5)
        func run(_ seconds: Double) async -> (RawLoadRun.Result, Bool) {
            if client == "nio" {
                let r = await LoadRun.run(.find, clients: finders.nio, seconds: seconds, pool: finders.pool, width: width)
                return (RawLoadRun.Result(requests: r.requests, failures: r.failures, firstFailure: r.firstFailure, seconds: r.seconds,
                                          clientCPU: .nan, latencies: r.latencies), finders.pool.spent)
            }
            let r = await RawLoadRun.run(.find, clients: finders.raw, seconds: seconds, pool: finders.pool, width: width)
            return (r, finders.pool.spent)
        }
        _ = await run(warmUp)
        let (cpuBefore, writtenBefore) = (daemon.cpuSeconds, daemon.writtenBytes)
        let (r, spent) = await run(duration)
        let (cpu, written) = (daemon.cpuSeconds - cpuBefore, daemon.writtenBytes - writtenBefore)
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
