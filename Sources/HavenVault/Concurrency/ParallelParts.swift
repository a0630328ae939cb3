import Dispatch
import Foundation
import Synchronization

/// Runs the parts of one piece of work at once, each on a thread of its own, and hands back
/// each part's outcome in the parts' order once every part has ended.
///
/// A thread of its own rather than a pool's: a part that waits on the disk (a cold read of
/// a million rows) keeps its read in flight while the others hash, whatever the number of
/// cores, and its name shows in a stack dump of a daemon that hangs. A part's failure is
/// its own: the others run to their end, and the caller decides what one failure means.
///
/// The statistics query splits the id space so:
/// ```swift
/// let parts = StatisticsScan.parts(StatisticsScan.readers)
/// let results = ParallelParts.run(parts.count, threadName: { "haven-stats-\($0)" }) {
///     [self] (i) throws(HavenError) -> StatisticsScan in
///     try scanStatistics(parts[i], year: period.year, now: now.millisecondsSinceEpoch)
/// }
/// for r in results {
///     let part = try r.get()  // the first part that failed, in order, fails the query
///     groups.merge(part.groups)
/// }
/// ```
enum ParallelParts {
    /// Runs `part(0)` to `part(count - 1)`, each on a new thread named `threadName(i)`, and
    /// returns once all have ended: element `i` is what `part(i)` returned or threw.
    static func run<T: Sendable, E: Error>(_ count: Int, threadName: (Int) -> String,
                                           _ part: @escaping @Sendable (Int) throws(E) -> T) -> [Result<T, E>] {
        guard count > 0 else { return [] }
        let outcomes = Outcomes<T, E>(count: count)
        let done = DispatchGroup()
        let started = DispatchSemaphore(value: 0)
        for i in 0..<count {
            let name = threadName(i)
            done.enter()
            let thread = Thread {
                // Named by itself once `start()` has returned: on Linux, Foundation gives the
                // system's thread no name set before that (it keeps its creator's, which is
                // what gdb and ps would show).
                started.wait()
                Thread.current.name = name
                outcomes.set(i, Result { () throws(E) -> T in try part(i) })
                done.leave()
            }
            thread.start()
        }
        for _ in 0..<count { started.signal() }
        done.wait()
        return outcomes.all()
    }

    /// The parts' outcomes, each set once by its own thread.
    private final class Outcomes<T: Sendable, E: Error>: Sendable {
        private let slots: Mutex<[Result<T, E>?]>

        init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

        func set(_ i: Int, _ outcome: Result<T, E>) { slots.withLock { $0[i] = outcome } }

        /// Every part's outcome; only after every thread has set its own.
        func all() -> [Result<T, E>] { slots.withLock { $0.map { $0! } } }
    }
}
