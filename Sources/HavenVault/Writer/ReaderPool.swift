import HavenStore
import Synchronization

/// Read-only connections for request threads. WAL lets them read committed data while
/// the writer commits; each is used by one thread at a time (checked out, then back).
public final class ReaderPool: Sendable {
    private let path: String
    private let idle: Mutex<[UncheckedConnection]>

    /// A connection crossing threads: safe because only one thread holds it at a time.
    private struct UncheckedConnection: @unchecked Sendable {
        let connection: Connection
    }

    public init(path: String) {
        self.path = path
        idle = Mutex([])
    }

    /// Runs `body` inside one read transaction, so every query sees the same committed
    /// snapshot: a record's header and its fields always come from the same commit, even
    /// while the writer is changing them.
    public func withSnapshot<R>(_ body: (Connection) throws -> R) throws -> R {
        let existing = idle.withLock { $0.popLast() }
        let connection = try existing?.connection ?? Database.openReader(path: path)
        defer {
            let back = UncheckedConnection(connection: connection)
            idle.withLock { $0.append(back) }
        }
        return try Self.inReadTransaction(connection, body)
    }

    /// Runs `body` inside one read transaction on a connection of its own, closed
    /// afterwards: for a scan that reads a table once from end to end, whose pages a pooled
    /// connection would go on holding in memory for nothing.
    public func withScanSnapshot<R>(_ body: (Connection) throws -> R) throws -> R {
        try Self.inReadTransaction(try Database.openReader(path: path, cacheKiB: 256), body)
    }

    /// `body` between BEGIN and a rollback, its statements reset after it.
    private static func inReadTransaction<R>(_ connection: Connection, _ body: (Connection) throws -> R) throws -> R {
        defer {
            connection.resetStatements()
            connection.rollbackQuietly()
        }
        try connection.run("BEGIN")
        return try body(connection)
    }
}
