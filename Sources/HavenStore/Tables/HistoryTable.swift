import HavenCore

/// One note as stored: its sealed metadata (nil for a note of a format-1 header, which holds
/// the metadata itself) and its sealed text.
public struct StoredNote: Sendable {
    public let index: UInt64
    public let meta: [UInt8]?
    public let ciphertext: [UInt8]
}

/// A record's append-only history: notes and consent events, one sealed row each, found by
/// record and index. The record's header counts them; a row past the count vouches for
/// nothing and is overwritten by the next append.
public enum HistoryTable {
    public static func putNote(_ record: RecordID, index: UInt64, meta: [UInt8], ciphertext: [UInt8], on db: Connection) throws {
        try db.statement("""
            INSERT INTO notes (record_id, idx, meta, ciphertext) VALUES (?, ?, ?, ?)
            ON CONFLICT (record_id, idx) DO UPDATE SET meta = excluded.meta, ciphertext = excluded.ciphertext
            """)
            .bind(1, record.rawValue).bind(2, Int64(index)).bind(3, blob: meta).bind(4, blob: ciphertext).run()
    }

    /// Gives a note of a format-1 header its sealed metadata; false if the note has no row.
    public static func setNoteMeta(_ record: RecordID, index: UInt64, meta: [UInt8], on db: Connection) throws -> Bool {
        try db.statement("UPDATE notes SET meta = ? WHERE record_id = ? AND idx = ?")
            .bind(1, blob: meta).bind(2, record.rawValue).bind(3, Int64(index)).run()
        return db.changes == 1
    }

    /// The notes with indexes in `range`, in order; a missing one is simply absent.
    public static func notes(of record: RecordID, in range: ClosedRange<UInt64>, on db: Connection) throws -> [StoredNote] {
        let s = try db.statement("SELECT idx, meta, ciphertext FROM notes WHERE record_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
        try s.bind(1, record.rawValue).bind(2, Int64(range.lowerBound)).bind(3, Int64(range.upperBound))
        var out = [StoredNote]()
        while try s.step() {
            out.append(StoredNote(index: UInt64(bitPattern: s.int64(0)), meta: s.optionalBlob(1), ciphertext: s.blob(2)))
        }
        return out
    }

    public static func putConsentEvent(_ record: RecordID, index: UInt64, sealed: [UInt8], on db: Connection) throws {
        try db.statement("""
            INSERT INTO consent_events (record_id, idx, event) VALUES (?, ?, ?)
            ON CONFLICT (record_id, idx) DO UPDATE SET event = excluded.event
            """)
            .bind(1, record.rawValue).bind(2, Int64(index)).bind(3, blob: sealed).run()
    }

    /// The consent events with indexes in `range`, in order; a missing one is simply absent.
    public static func consentEvents(of record: RecordID, in range: ClosedRange<UInt64>,
                                     on db: Connection) throws -> [(index: UInt64, sealed: [UInt8])] {
        let s = try db.statement("SELECT idx, event FROM consent_events WHERE record_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
        try s.bind(1, record.rawValue).bind(2, Int64(range.lowerBound)).bind(3, Int64(range.upperBound))
        var out = [(index: UInt64, sealed: [UInt8])]()
        while try s.step() { out.append((UInt64(bitPattern: s.int64(0)), s.blob(1))) }
        return out
    }
}
