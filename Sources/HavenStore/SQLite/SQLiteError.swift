import CSQLite

/// A failed SQLite call: which call, SQLite's result code and its message.
///
/// The message may quote SQL but never bound values, so it is safe for the daemon's log;
/// it never reaches a client (see `StoreFailure`).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public let message: String

    /// The primary result code, without SQLite's extended bits.
    public var primaryCode: Int32 { code & 0xFF }

    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String { "\(call) failed (\(code)): \(message)" }
}
