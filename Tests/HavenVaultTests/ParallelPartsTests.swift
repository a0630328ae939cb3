import Foundation
import Glibc
import HavenCore
@testable import HavenVault
import Synchronization
import Testing

/// The helper both whole-vault scans run their parts with (the log check, statistics): every
/// part at once on a named thread of its own, each outcome handed back in the parts' order.
@Suite struct ParallelPartsTests {
    @Test func outcomesComeBackInThePartsOrderWhateverOrderTheyEndIn() {
        let results = ParallelParts.run(6, threadName: { "haven-test-\($0)" }) { (i) throws(HavenError) -> Int in
            usleep(useconds_t((6 - i) * 5_000))  // the last part ends first
            return i * 10
        }
        #expect(results.map { try? $0.get() } == [0, 10, 20, 30, 40, 50])
    }

    @Test func aPartsFailureIsItsOwnAndTheOthersRunToTheirEnd() {
        let ended = Mutex(Set<Int>())
        let results = ParallelParts.run(4, threadName: { "haven-test-\($0)" }) { (i) throws(HavenError) -> Int in
            if i == 1 { throw HavenError(.busy, "part 1") }
            if i == 3 { throw HavenError.integrity }
            usleep(20_000)
            ended.withLock { _ = $0.insert(i) }
            return i
        }
        #expect(ended.withLock { $0 } == [0, 2])
        let codes = results.map { r -> String in
            switch r {
            case .success(let i): "\(i)"
            case .failure(let e): e.code.rawValue
            }
        }
        #expect(codes == ["0", "busy", "2", "integrity_error"])
    }

    /// Each part runs on a thread of its own, named as asked (seen in a stack dump of a daemon
    /// that hangs), and all are running at once: no part ends before every one has started.
    @Test func everyPartRunsAtOnceOnANamedThreadOfItsOwn() {
        let count = 4
        let started = Mutex(0)
        let results = ParallelParts.run(count, threadName: { "haven-stats-\($0)" }) { (i) throws(HavenError) -> [String] in
            started.withLock { $0 += 1 }
            let deadline = Date().addingTimeInterval(10)
            while started.withLock({ $0 }) < count {
                guard Date() < deadline else { throw HavenError(.busy, "part \(i) ran alone") }
                usleep(1_000)
            }
            // The name the system holds, which gdb and ps show.
            let system = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return [Thread.current.name ?? "", system.trimmingCharacters(in: .newlines), Thread.isMainThread ? "main" : ""]
        }
        for (i, r) in results.enumerated() {
            #expect((try? r.get()) == ["haven-stats-\(i)", "haven-stats-\(i)", ""], "\(r)")
        }
    }

    @Test func noPartsIsNoOutcome() {
        let results = ParallelParts.run(0, threadName: { "haven-test-\($0)" }) { (i) throws(HavenError) -> Int in i }
        #expect(results.isEmpty)
    }
}
