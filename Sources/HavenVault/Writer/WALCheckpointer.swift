import Foundation
import HavenStore
import Logging

/// Folds the WAL into the database file beside the writer, so that no commit — and no
/// answer waiting for one — pays for a checkpoint, and the WAL does not grow without end.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000
/// pages: that commit copies the pages into the database file and syncs it while every
/// answer of its group waits. (It also failed whenever a statement of the writer's
/// transaction was still open at COMMIT, which left the WAL growing for as long as every
/// group held a change: 877 MB in 8 s of updates.) Instead the writer's connection reports
/// its WAL's size after each commit (`Connection.onWALCommit`, which turns the automatic
/// checkpoint off), and:
/// - this thread, on a connection of its own, runs a PASSIVE checkpoint once `threshold`
///   frames have gathered: the bulk of the copy, beside the writer, never waiting for it
///   or for a reader;
/// - the writer, once a group's answers are on their way and before it begins the next
///   group, catches up (`catchUp`) when the WAL holds twice that: a PASSIVE checkpoint of
///   what this thread has not copied yet. Only a checkpoint that ends between two groups
///   lets the next one write the WAL again from its start; one running beside a busy
///   writer never catches the last frames.
///
/// Durability is unchanged: each commit's WAL is synced before its answer leaves, and a
/// checkpoint syncs the database file before any of the WAL is reused.
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

    /// Frames in the WAL after the writer's latest commit (writer thread only).
    private var writerFrames = 0

    /// From the writer's commit hook: the WAL now holds `frames` frames.
    func committed(frames: Int) {
        writerFrames = frames
        guard frames >= Self.threshold else { return }
        condition.lock()
        due = true
        condition.signal()
        condition.unlock()
    }

    /// On the writer's thread, between two groups, with none of its statements open: copies
    /// what is left when the WAL has grown to twice the threshold, so that the next group
    /// starts the WAL again. Busy (this thread is copying) is tried again after the next group.
    func catchUp(_ writer: Connection) {
        guard writerFrames >= 2 * Self.threshold else { return }
        Self.checkpoint(writer, logger: logger)
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
            Self.checkpoint(db, logger: logger)
            usleep(Self.pause)
        }
    }

    private static func checkpoint(_ db: Connection, logger: Logger) {
        defer { db.resetStatements() }
        do {
            // Nil when another checkpoint is running (the other side's, or the writer emptying
            // the WAL after an erasure or at a stop): nothing to say, a later one copies the rest.
            _ = try db.walCheckpoint(.passive)
        } catch {
            // Said; the next commit past the threshold tries again.
            logger.warning("a WAL checkpoint failed; it is tried again after the next commit", metadata: ["error": "\(error)"])
        }
    }
}
