import Dispatch
import Foundation
import Glibc
import HavenCore
import HavenSystem

/// A closed-loop run like `LoadRun`, driven by one thread over every connection with
/// poll(2): each connection sends its next request as soon as its answer has arrived. The
/// thread's own CPU time is measured, so the table can say what the client cost.
struct RawLoadRun {
    /// An authenticated raw connection and the records its user may read.
    struct Client {
        let connection: RawConnection
        let user: String
        let records: [RecordID]
        let population: Int
    }

    struct Result {
        var requests = 0
        var failures = 0
        var firstFailure: String?
        /// Finds refused with 429, where the run counts them apart rather than as failures.
        var refused = 0
        var seconds = 0.0
        /// CPU seconds the client thread used.
        var clientCPU = 0.0
        var latencies = Latencies()
        var throughput: Double { Double(requests) / seconds }
    }

    /// Runs on a thread of its own, so the blocking loop never holds a task executor. With a
    /// `pool`, `clients` are its users' connections and `width` requests are kept in flight,
    /// each on an idle user with a find left; `countingRefusals`: a 429 is counted as
    /// `refused`, not as a failure (the row of one user's script, and only it).
    static func run(_ workload: Workload, clients: [Client], seconds: Double, pool: FinderPool? = nil, width: Int = 0,
                    countingRefusals: Bool = false) async -> Result {
        let box = UncheckedBox(clients)
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runHere(workload, clients: box.value, seconds: seconds, pool: pool, width: width,
                                                       countingRefusals: countingRefusals))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func runHere(_ workload: Workload, clients: [Client], seconds: Double, pool: FinderPool?, width: Int,
                                countingRefusals: Bool) -> Result {
        var result = Result()
        // Only the connections awaiting an answer are polled: a pool of finders holds a
        // thousand idle ones, and polling them all would cost the client more than the daemon.
        var flying = [Bool](repeating: false, count: clients.count)
        var polled = [pollfd]()
        var waiting = [Int]()
        for c in clients { _ = fcntl(c.connection.fd, F_SETFL, fcntl(c.connection.fd, F_GETFL) | O_NONBLOCK) }
        defer { for c in clients { _ = fcntl(c.connection.fd, F_SETFL, fcntl(c.connection.fd, F_GETFL) & ~O_NONBLOCK) } }

        let cpuStart = threadCPU()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var rngs = (0..<clients.count).map { SplitMix(connection: $0, run: start) }
        var sentAt = [UInt64](repeating: 0, count: clients.count)
        var inFlight = 0
        var samples = [UInt64]()
        samples.reserveCapacity(Int(seconds * 60_000))

        func sendNext(_ n: Int) -> Bool {
            let c = clients[n]
            let r = workload.next(records: c.records, counsellor: c.user, population: c.population, using: &rngs[n])
            let bytes = RawConnection.request(r.method.rawValue, r.path, body: r.body)
            sentAt[n] = DispatchTime.now().uptimeNanoseconds
            do {
                try c.connection.send(bytes)
            } catch {
                result.failures += 1
                result.firstFailure = result.firstFailure ?? "\(error)"
                return false
            }
            inFlight += 1
            flying[n] = true
            return true
        }

        if let pool {
            pool.startRun()
            for _ in 0..<width { if let n = pool.checkOut() { _ = sendNext(n) } }
        } else {
            for n in clients.indices { _ = sendNext(n) }
        }
        // Answers still owed this long after the end are failures: the run ends rather than
        // waiting for ever on a daemon that stopped answering.
        let giveUp = deadline + 30_000_000_000
        while inFlight > 0 {
            if DispatchTime.now().uptimeNanoseconds > giveUp {
                result.failures += inFlight
                result.firstFailure = result.firstFailure ?? "\(inFlight) requests unanswered 30 s after the run ended"
                break
            }
            do {
                waiting.removeAll(keepingCapacity: true)
                polled.removeAll(keepingCapacity: true)
                for n in flying.indices where flying[n] {
                    waiting.append(n)
                    polled.append(pollfd(fd: clients[n].connection.fd, events: Int16(POLLIN), revents: 0))
                }
                _ = try systemCall("poll") { polled.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), 1000) } }
            } catch {
                break
            }
            for (i, p) in polled.enumerated() where p.revents != 0 {
                let n = waiting[i]
                let answer: RawConnection.Answer?
                do {
                    answer = try clients[n].connection.receive()
                } catch {
                    result.failures += 1
                    result.firstFailure = result.firstFailure ?? "\(error)"
                    inFlight -= 1
                    flying[n] = false  // never polled nor sent on again
                    continue
                }
                guard let answer else { continue }
                let now = DispatchTime.now().uptimeNanoseconds
                inFlight -= 1
                flying[n] = false
                samples.append(now - sentAt[n])
                pool?.checkIn(n)
                if countingRefusals, answer.status == 429 {
                    result.refused += 1
                } else if !(200..<300).contains(answer.status) {
                    result.failures += 1
                    result.firstFailure = result.firstFailure
                        ?? "\(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))"
                }
                guard now < deadline else { continue }
                if let pool {
                    if let m = pool.checkOut() { _ = sendNext(m) }
                } else {
                    _ = sendNext(n)
                }
            }
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.clientCPU = threadCPU() - cpuStart
        result.latencies.add(samples)
        result.requests = samples.count
        return result
    }

    /// CPU seconds the calling thread has used.
    private static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// Hands non-Sendable values to the one thread that uses them from then on.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
