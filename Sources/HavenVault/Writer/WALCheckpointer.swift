import Foundation
import HavenStore
import Logging

/// Copies committed pages from the WAL into the database file on a thread of its own, so
/// that the writer's commits — which every audited answer waits for — never pay for it.
///
/// Left to SQLite, the checkpoint runs inside whichever COMMIT takes the WAL past 1000
/// pages: that group of requests waits while pages are copied and the database file is
/// fsync'd, which at a million records showed as read latencies of a fifth of a second.
/// A PASSIVE checkpoint never blocks the writer or the readers; durability is unchanged,
/// since a commit is durable once it is in the WAL.
final class WALCheckpointer: @unchecked Sendable {
    private let db: Connection
    private let logger: Logger
    private let interval: TimeInterval
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var running = true
    private var stopped = false

    init(path: String, logger: Logger, interval: TimeInterval = 0.2) throws {
        db = try Database.open(path: path)
        self.logger = logger
        self.interval = interval
    }

    func start() {
        let t = Thread { [self] in self.loop() }
        t.name = "haven-checkpointer"
        t.start()
    }

    /// Runs a last checkpoint and returns when the thread has finished.
    func stop() {
        condition.lock()
        running = false
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        var failing = false
        while true {
            condition.lock()
            if running { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
            let more = running
            condition.unlock()
            do {
                try db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                if failing { logger.notice("WAL checkpoints work again") }
                failing = false
            } catch {
                // Not fatal: commits stay durable in the WAL, which only grows until this recovers.
                if !failing { logger.warning("WAL checkpoint failed; retrying", metadata: ["error": "\(error)"]) }
                failing = true
            }
            if !more { break }
        }
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
