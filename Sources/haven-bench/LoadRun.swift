import Dispatch
import HavenClient
import HavenCore

/// One measured run: every connection sends its next request as soon as the previous one
/// is answered (closed loop), for a fixed time, and every answer must be a success.
struct LoadRun {
    /// An authenticated keep-alive connection and the records its user may read.
    struct Client: Sendable {
        let connection: ClientConnection
        let user: String
        let records: [RecordID]
        /// How many records the vault was seeded with.
        var population = 0
    }

    struct Result {
        var requests = 0
        var failures = 0
        var firstFailure: String?
        var seconds = 0.0
        var latencies = Latencies()
        var throughput: Double { Double(requests) / seconds }
    }

    /// With a `pool`, `clients` are its users' connections, and `width` loops each send on
    /// an idle user with a find left (`FinderPool`) until none has.
    static func run(_ workload: Workload, clients: [Client], seconds: Double, pool: FinderPool? = nil, width: Int = 0) async -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var result = Result()
        await withTaskGroup(of: (latencies: [UInt64], failures: Int, failure: String?).self) { group in
            pool?.startRun()
            for n in 0..<(pool == nil ? clients.count : width) {
                group.addTask {
                    var rng = SplitMix(connection: n, run: start)
                    var latencies = [UInt64]()
                    latencies.reserveCapacity(Int(seconds * 2000))
                    var failures = 0
                    var failure: String?
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        let user = pool == nil ? n : pool!.checkOut()
                        guard let user else { break }
                        defer { pool?.checkIn(user) }
                        let client = clients[user]
                        let request = workload.next(records: client.records, counsellor: client.user, population: client.population,
                                                    using: &rng)
                        let sent = DispatchTime.now().uptimeNanoseconds
                        do {
                            let answer = try await client.connection.send(method: request.method, path: request.path, body: request.body)
                            latencies.append(DispatchTime.now().uptimeNanoseconds - sent)
                            if !(200..<300).contains(answer.status) {
                                failures += 1
                                failure = failure ?? "\(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))"
                            }
                        } catch {
                            failures += 1
                            failure = failure ?? "\(error)"
                            break
                        }
                    }
                    return (latencies, failures, failure)
                }
            }
            for await one in group {
                result.latencies.add(one.latencies)
                result.failures += one.failures
                result.firstFailure = result.firstFailure ?? one.failure
            }
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.requests = result.latencies.count
        return result
    }
}

/// A small, fast, seedable generator (SplitMix64), so runs are reproducible per connection.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// The n-th connection's stream in a run, from a mixed seed: SplitMix steps its state by
    /// a constant, so seeds a multiple of it apart (as n times it would be) give one stream
    /// shifted, and every connection would create the same records.
    init(connection n: Int, run: UInt64) {
        var mixer = SplitMix(seed: UInt64(n))
        self.init(seed: mixer.next() ^ run)
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
