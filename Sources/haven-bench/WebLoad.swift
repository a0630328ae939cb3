import Dispatch
import Foundation

/// A closed-loop run of one of the desk's pages: each client, a keep-alive connection of
/// its own on a thread of its own (a browser tab), asks for the next page as soon as the
/// last one has arrived whole.
enum WebLoad {
    /// The pages measured, as a person opens them.
    enum Page: String, CaseIterable {
        /// GET /records?scope=agency: the agency's records, newest change first, names hidden.
        case list
        /// GET /records/ID of a random seeded record.
        case record
    }

    /// A connection and the signed-in person's cookie it sends.
    struct Client {
        let connection: WebConnection
        let cookie: String
    }

    struct Result {
        var pages = 0
        var failures = 0
        var firstFailure: String?
        var bytes = 0
        var seconds = 0.0
        var latencies = Latencies()
        var throughput: Double { Double(pages) / seconds }
    }

    static func run(_ page: Page, clients: [Client], ids: [String], seconds: Double) async -> Result {
        let box = UncheckedBox((clients, ids))
        return await withCheckedContinuation { continuation in
            let totals = Totals()
            let group = DispatchGroup()
            let start = DispatchTime.now().uptimeNanoseconds
            let deadline = start + UInt64(seconds * 1e9)
            for n in box.value.0.indices {
                group.enter()
                let thread = Thread {
                    totals.add(loop(page, box.value.0[n], ids: box.value.1, deadline: deadline, seed: UInt64(n) &+ start))
                    group.leave()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.notify(queue: .global()) {
                var total = totals.take()
                total.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                continuation.resume(returning: total)
            }
        }
    }

    /// The clients' results summed as each thread ends.
    private final class Totals: @unchecked Sendable {
        private let lock = NSLock()
        private var total = Result()

        func add(_ mine: Result) {
            lock.lock()
            defer { lock.unlock() }
            total.pages += mine.pages
            total.failures += mine.failures
            total.firstFailure = total.firstFailure ?? mine.firstFailure
            total.bytes += mine.bytes
            total.latencies.add(mine.latencies.samples)
        }

        func take() -> Result {
            lock.lock()
            defer { lock.unlock() }
            return total
        }
    }

    private static func loop(_ page: Page, _ client: Client, ids: [String], deadline: UInt64, seed: UInt64) -> Result {
        var result = Result()
        var rng = SplitMix(connection: Int(truncatingIfNeeded: seed), run: seed)
        let list = client.connection.request("GET", "/records?scope=agency", cookie: client.cookie)
        var samples = [UInt64]()
        while DispatchTime.now().uptimeNanoseconds < deadline {
            let bytes = page == .list ? list
                : client.connection.request("GET", "/records/\(ids[Int(rng.next() % UInt64(ids.count))])", cookie: client.cookie)
            let sent = DispatchTime.now().uptimeNanoseconds
            do {
                let answer = try client.connection.exchange(bytes)
                samples.append(DispatchTime.now().uptimeNanoseconds - sent)
                if answer.status == 200 {
                    result.pages += 1
                    result.bytes += answer.bodyBytes
                } else {
                    result.failures += 1
                    result.firstFailure = result.firstFailure
                        ?? "\(page.rawValue) answered \(answer.status)\(answer.header("location").map { " to \($0)" } ?? "")"
                }
            } catch {
                result.failures += 1
                result.firstFailure = result.firstFailure ?? "\(page.rawValue): \(error)"
                break
            }
        }
        result.latencies.add(samples)
        return result
    }
}
