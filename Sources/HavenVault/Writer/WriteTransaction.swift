import HavenCore
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
