import CSQLite

extension Connection {
    /// The checkpoint modes Haven runs (SQLite's `PRAGMA wal_checkpoint`).
    public enum WALCheckpointMode: String, Sendable {
        /// Copies what it can without waiting for any reader or the writer.
        case passive = "PASSIVE"
        /// Waits for the writer, copies everything, and empties the WAL file.
        case truncate = "TRUNCATE"
    }

    /// What a checkpoint did (the row `PRAGMA wal_checkpoint` answers).
    public struct WALCheckpoint: Sendable, Equatable {
        /// A reader (or the writer) kept part of the WAL from being copied.
        public let blocked: Bool
        /// Frames in the WAL, and frames now copied into the database file.
        public let walFrames: Int
        public let copied: Int
    }

    /// Copies the WAL into the database file. Nil when another checkpoint was running on
    /// another connection (`SQLITE_BUSY`): nothing is wrong, and the next one copies what
    /// this one did not. Leaves no statement open, which would hold a later checkpoint back.
    public func walCheckpoint(_ mode: WALCheckpointMode) throws(SQLiteError) -> WALCheckpoint? {
        let s = try statement("PRAGMA wal_checkpoint(\(mode.rawValue))")
        defer { s.reset() }
        do throws(SQLiteError) {
            guard try s.step() else { return WALCheckpoint(blocked: false, walFrames: 0, copied: 0) }
        } catch {
            if error.primaryCode == SQLITE_BUSY { return nil }
            throw error
        }
        return WALCheckpoint(blocked: s.int64(0) != 0, walFrames: Int(s.int64(1)), copied: Int(s.int64(2)))
    }
}
