import CSQLite

/// SQLite copies bound text and blobs when given `SQLITE_TRANSIENT` (-1); Swift does not
/// import that macro, so it is spelled out here.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement: bind parameters by position (1-based), step, read columns (0-based).
public final class Statement {
    let handle: OpaquePointer
    private unowned let connection: Connection

    init(_ handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: binding

    @discardableResult
    public func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) -> Statement {
        try check(sqlite3_bind_int64(handle, index, value), "sqlite3_bind_int64")
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) -> Statement {
        guard let value else { return try bindNull(index) }
        return try bind(index, value)
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: String) throws(SQLiteError) -> Statement {
        try check(sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT), "sqlite3_bind_text")
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: String?) throws(SQLiteError) -> Statement {
        guard let value else { return try bindNull(index) }
        return try bind(index, value)
    }

    @discardableResult
    public func bind(_ index: Int32, blob: [UInt8]) throws(SQLiteError) -> Statement {
        let rc = blob.withUnsafeBytes { b in
            // A zero-length blob still needs a non-NULL pointer, or SQLite stores NULL.
            sqlite3_bind_blob(handle, index, b.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), SQLITE_TRANSIENT)
        }
        try check(rc, "sqlite3_bind_blob")
        return self
    }

    @discardableResult
    public func bindNull(_ index: Int32) throws(SQLiteError) -> Statement {
        try check(sqlite3_bind_null(handle, index), "sqlite3_bind_null")
        return self
    }

    // MARK: stepping

    /// Advances to the next row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let e = connection.error("sqlite3_step", rc)
            sqlite3_reset(handle)
            throw e
        }
    }

    /// Runs a statement that returns no rows.
    public func run() throws(SQLiteError) {
        while try step() {}
    }

    // MARK: columns

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    public func string(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    public func optionalString(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : string(column)
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// Reads a blob column in place, without copying it (valid only inside `body`).
    /// A blob or text column's bytes in place, or nil when it is NULL (valid only inside `body`).
    public func withOptionalBytes<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return try body(nil) }
        return try withBlob(column) { try body($0) }
    }

    /// A blob column, or nil when it is NULL (an empty blob is not NULL).
    public func optionalBlob(_ column: Int32) -> [UInt8]? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : blob(column)
    }

    public func withBlob<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(sqlite3_column_bytes(handle, column))
        let p = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: n > 0 ? p : nil, count: n))
    }

    private func check(_ rc: Int32, _ call: String) throws(SQLiteError) {
        if rc != SQLITE_OK { throw connection.error(call, rc) }
    }
}
