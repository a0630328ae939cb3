import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// What a write job sees inside the writer's group transaction: the writer's connection
/// and the time of the batch. Jobs change data here; the writer adds their audit entries.
public final class WriteTransaction {
    public let db: Connection
    public let now: Timestamp
    /// Set by a job whose caller needs a signed checkpoint covering its entry (extracts).
    var checkpointRequested = false

    init(db: Connection, now: Timestamp) {
        self.db = db
        self.now = now
    }

    public func requestCheckpoint() {
        checkpointRequested = true
    }

    /// Set by a job that destroyed data (an erasure): after the commit the writer empties
    /// the WAL, which still holds the pages as they were, without waiting for any reader
    /// (`WALPurge`); the erasure's answer waits for that, a little (`WriteQueue.walEmptied`).
    var walPurgeRequested = false

    public func requestWALPurge() {
        walPurgeRequested = true
    }

    /// The new state of the row that grants access this job changed, for its audit entry.
    private var state: (StateKey, Tag16)?

    /// Records that the job wrote `key` in the state `tag` (one row per job).
    func wrote(_ key: StateKey, _ tag: Tag16) {
        precondition(state == nil, "a job changes at most one row that grants access")
        state = (key, tag)
    }

    /// The state the job just run wrote, if any; clears it for the next job.
    func takeState() -> (StateKey, Tag16)? {
        defer { state = nil }
        return state
    }
}

/// Runs store code, turning any storage failure into `storeUnavailable`. The details go
/// to the daemon's log (SQLite messages name calls and tables, never bound values) and
/// never to the client.
func storeCall<R>(_ logger: Logger, _ body: () throws -> R) throws(HavenError) -> R {
    do {
        return try body()
    } catch let e as HavenError {
        throw e
    } catch {
        logger.error("store failure", metadata: ["error": "\(error)"])
        throw HavenError.storeUnavailable
    }
}
