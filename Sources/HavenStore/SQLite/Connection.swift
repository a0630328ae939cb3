import CSQLite

/// A thin wrapper over one `sqlite3*` handle with a cache of prepared statements.
///
/// Not thread-safe by design: a connection belongs to one owner at a time (the writer
/// thread, or a reader checked out of `ReaderPool`), which is what SQLite's
/// multi-thread mode (`SQLITE_OPEN_NOMUTEX`) requires.
public final class Connection {
    public enum Mode: Sendable {
        case readWrite
        case readWriteCreate
        case readOnly
    }

    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    public let path: String
    /// Kept alive while SQLite holds a pointer to it (`onWALCommit`).
    var walHook: WALHookBox?

    public init(path: String, mode: Mode) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(call: "sqlite3_open_v2", code: rc, message: message)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statements.removeAll()
        sqlite3_wal_hook(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows (pragmas, schema, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error("sqlite3_exec", rc) }
    }

    /// Runs one statement that returns no rows through the statement cache: for the
    /// transaction control (BEGIN, COMMIT, SAVEPOINT…) that every request runs, where
    /// `sqlite3_exec` would compile the SQL again each time.
    public func run(_ sql: String) throws(SQLiteError) {
        try statement(sql).run()
    }

    /// A prepared statement for `sql`, compiled once and reused; reset before it is returned.
    public func statement(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error("sqlite3_prepare_v3", rc) }
        let statement = Statement(stmt, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Resets every cached statement. A stepped-but-not-reset SELECT keeps its read
    /// snapshot open, which would pin a reader to old data and keep the WAL from being
    /// checkpointed; call this when a unit of work is done.
    public func resetStatements() {
        for s in statements.values { s.reset() }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    public func transaction<R>(immediate: Bool = true, _ body: () throws -> R) throws -> R {
        try run(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Rolls back if a transaction is open; used on error paths where the first error matters.
    public func rollbackQuietly() {
        if sqlite3_get_autocommit(handle) == 0 {
            try? run("ROLLBACK")
        }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ call: String, _ rc: Int32) -> SQLiteError {
        SQLiteError(call: call, code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }
}
