import CSQLite
import Foundation
import HavenStore
import Logging

/// Folds the WAL into the database file beside the writer, so that no commit — and no
/// answer waiting for one — pays for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000
/// pages: that commit copies every page into the database file and syncs it, and every
/// answer in its group waits for it. Instead the writer's connection reports its WAL's size
/// after each commit (`Connection.onWALCommit`, which turns the automatic checkpoint off),
/// and this thread, on a connection of its own, runs a PASSIVE checkpoint once `threshold`
/// frames have gathered: it copies what no reader still needs and never waits for the
/// writer or a reader; once all of the WAL is copied the writer starts it again from the
/// top. Durability is unchanged: each commit's WAL is synced before its answer leaves, and
/// a checkpoint syncs the database file before any of the WAL is reused.
final class WALCheckpointer: @unchecked Sendable {
    /// Frames in the WAL that make a checkpoint due (SQLite's own default).
    static let threshold = 1000
    /// Least time between two checkpoints, so a WAL that readers keep from being copied
    /// does not set this thread spinning.
    static let pause: useconds_t = 5_000

    private let db: Connection
    private let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var due = false
    private var running = true
    private var stopped = false

    init(db: Connection, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    func start() {
        let t = Thread { [self] in loop() }
        t.name = "haven-checkpoint"
        t.start()
    }

    /// From the writer's commit hook: the WAL now holds `frames` frames.
    func committed(frames: Int) {
        guard frames >= Self.threshold else { return }
        condition.lock()
        due = true
        condition.signal()
        condition.unlock()
    }

    /// Returns once the thread has finished its checkpoint in progress, if any, and ended.
    func stop() {
        condition.lock()
        running = false
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while !due && running { condition.wait() }
            guard running else {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            due = false
            condition.unlock()
            checkpoint()
            usleep(Self.pause)
        }
    }

    private func checkpoint() {
        defer { db.resetStatements() }
        do {
            _ = try db.statement("PRAGMA wal_checkpoint(PASSIVE)").step()
        } catch {
            // Busy: the writer is emptying the WAL itself (an erasure, a stop). Anything else
            // is said; the next commit past the threshold tries again.
            if error.code & 0xFF != SQLITE_BUSY {
                logger.warning("a WAL checkpoint failed; it is tried again after the next commit", metadata: ["error": "\(error)"])
            }
        }
    }
}
