import HavenCore

/// One record's sealed statistics and the state tag of the record row it was made beside.
public struct StoredStatistics: Sendable, Equatable {
    public let rowTag: [UInt8]
    public let sealed: [UInt8]

    public init(rowTag: [UInt8], sealed: [UInt8]) {
        self.rowTag = rowTag
        self.sealed = sealed
    }
}

/// Each record's sealed contribution to statistics (schema 7). A row opens only under the
/// statistics key and only for its record's latest audited state, so a row added, edited,
/// swapped or kept from an earlier state is refused by the query, never counted.
public enum StatisticsTable {
    /// The statements a query runs for a range of ids, named for the query-plan test.
    public static let scanSQL = "SELECT record_id, row_tag, sealed FROM record_statistics WHERE record_id >= ? AND record_id < ?"
    public static let countSQL = "SELECT COUNT(*) FROM records WHERE id >= ? AND id < ?"
    /// The status as a literal, as the partial index is written: SQLite uses a partial index
    /// only when the query's term is the index's own.
    public static let countErasedSQL = "SELECT COUNT(*) FROM records WHERE status = 'erased' AND id >= ? AND id < ?"

    /// Writes a record's row, replacing the one its previous state had.
    public static func put(_ record: RecordID, _ row: StoredStatistics, on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO record_statistics (record_id, row_tag, sealed) VALUES (?, ?, ?)")
            .bind(1, record.rawValue).bind(2, blob: row.rowTag).bind(3, blob: row.sealed).run()
    }

    public static func get(_ record: RecordID, on db: Connection) throws -> StoredStatistics? {
        let s = try db.statement("SELECT row_tag, sealed FROM record_statistics WHERE record_id = ?").bind(1, record.rawValue)
        guard try s.step() else { return nil }
        return StoredStatistics(rowTag: s.blob(0), sealed: s.blob(1))
    }

    /// Calls `body` with every row's record id (its stored text), tag and box, in place, for
    /// the records whose ids lie in `ids` (a query splits the id space between threads):
    /// a query reads a million without a copy or a String each.
    public static func scan(_ ids: Range<String>, on db: Connection,
                            _ body: (_ record: UnsafeRawBufferPointer, _ rowTag: UnsafeRawBufferPointer, _ sealed: UnsafeRawBufferPointer) throws -> Void) throws {
        let s = try db.statement(scanSQL)
            .bind(1, ids.lowerBound).bind(2, ids.upperBound)
        while try s.step() {
            try s.withBlob(0) { id in try s.withBlob(1) { tag in try s.withBlob(2) { box in try body(id, tag, box) } } }
        }
    }

    /// How many records whose ids lie in `ids` are not erased: each must have a row. Counted
    /// on the primary key's index and the partial index of erased records, so a million
    /// records' rows (their headers) are never read for it.
    public static func liveRecords(_ ids: Range<String>, on db: Connection) throws -> Int64 {
        let all = try db.statement(countSQL)
            .bind(1, ids.lowerBound).bind(2, ids.upperBound)
        _ = try all.step()
        let erased = try db.statement(countErasedSQL)
            .bind(1, ids.lowerBound).bind(2, ids.upperBound)
        _ = try erased.step()
        return all.int64(0) - erased.int64(0)
    }

    /// The fields the rows were built from ("" when none were).
    public static func layout(on db: Connection) throws -> String {
        let s = try db.statement("SELECT layout FROM statistics_layout")
        return try s.step() ? s.string(0) : ""
    }

    /// Empties the rows and forgets their layout, so the next start rebuilds them.
    public static func removeAll(on db: Connection) throws {
        try db.execute("DELETE FROM record_statistics; DELETE FROM statistics_layout;")
    }

    public static func setLayout(_ layout: String, on db: Connection) throws {
        try db.execute("DELETE FROM statistics_layout")
        try db.statement("INSERT INTO statistics_layout (layout) VALUES (?)").bind(1, layout).run()
    }
}
