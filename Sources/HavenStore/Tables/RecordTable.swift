import HavenCore

/// A record's row as stored: the columns the daemon searches by, plus the sealed header
/// and wrapped data key. Nothing here is a survivor's data in plaintext.
public struct StoredRecord: Sendable {
    public let id: RecordID
    public let type: String
    public let agency: String
    public let status: String
    public let version: UInt64
    public let createdAt: Timestamp
    public let updatedAt: Timestamp
    public let dataKeyVersion: UInt32
    public let wrappedKey: [UInt8]
    public let sealedHeader: [UInt8]

    public init(id: RecordID, type: String, agency: String, status: String, version: UInt64, createdAt: Timestamp,
                updatedAt: Timestamp, dataKeyVersion: UInt32, wrappedKey: [UInt8], sealedHeader: [UInt8]) {
        self.id = id
        self.type = type
        self.agency = agency
        self.status = status
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.dataKeyVersion = dataKeyVersion
        self.wrappedKey = wrappedKey
        self.sealedHeader = sealedHeader
    }
}

/// One sealed field value as stored.
public struct StoredField: Sendable {
    public let name: String
    public let version: UInt64
    public let ciphertext: [UInt8]

    public init(name: String, version: UInt64, ciphertext: [UInt8]) {
        self.name = name
        self.version = version
        self.ciphertext = ciphertext
    }
}

/// Records, their sealed fields and assignment index (their history: `HistoryTable`).
public enum RecordTable {
    public static func insert(_ r: StoredRecord, on db: Connection) throws {
        try db.statement("""
            INSERT INTO records (id, type, agency, status, version, created_at, updated_at, data_key_version, wrapped_key, header)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
            .bind(1, r.id.rawValue).bind(2, r.type).bind(3, r.agency).bind(4, r.status)
            .bind(5, Int64(r.version)).bind(6, r.createdAt.millisecondsSinceEpoch).bind(7, r.updatedAt.millisecondsSinceEpoch)
            .bind(8, Int64(r.dataKeyVersion)).bind(9, blob: r.wrappedKey).bind(10, blob: r.sealedHeader)
            .run()
    }

    /// Replaces a record's row only if it is still at `expectedVersion` (optimistic
    /// concurrency): false means someone else changed it first.
    public static func update(_ r: StoredRecord, expectedVersion: UInt64, on db: Connection) throws -> Bool {
        try db.statement("""
            UPDATE records SET status = ?, version = ?, updated_at = ?, header = ?
            WHERE id = ? AND version = ?
            """)
            .bind(1, r.status).bind(2, Int64(r.version)).bind(3, r.updatedAt.millisecondsSinceEpoch)
            .bind(4, blob: r.sealedHeader).bind(5, r.id.rawValue).bind(6, Int64(expectedVersion))
            .run()
        return db.changes == 1
    }

    /// Erases a record still at `expectedVersion`: every field, note, consent event,
    /// assignment, search index row, referral and referral event goes, and the record row
    /// becomes `tombstone` (no wrapped key, no sealed header). With `secure_delete` on (Database.open) the freed bytes are zeroed.
    /// Returns false if someone changed the record first.
    public static func erase(_ tombstone: StoredRecord, expectedVersion: UInt64, on db: Connection) throws -> Bool {
        let id = tombstone.id.rawValue
        try db.statement("""
            UPDATE records SET status = ?, version = ?, updated_at = ?, wrapped_key = ?, header = ?
            WHERE id = ? AND version = ?
            """)
            .bind(1, tombstone.status).bind(2, Int64(tombstone.version)).bind(3, tombstone.updatedAt.millisecondsSinceEpoch)
            .bind(4, blob: tombstone.wrappedKey).bind(5, blob: tombstone.sealedHeader).bind(6, id).bind(7, Int64(expectedVersion))
            .run()
        guard db.changes == 1 else { return false }
        for table in ["fields", "notes", "consent_events", "record_assignees", "search_index", "record_statistics", "referrals",
                      "referral_events"] {
            try db.statement("DELETE FROM \(table) WHERE record_id = ?").bind(1, id).run()
        }
        return true
    }

    /// A record's data key wrapped again (root key rotation); nothing else of the row changes.
    public static func setWrappedKey(_ id: RecordID, _ wrapped: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE records SET wrapped_key = ? WHERE id = ?").bind(1, blob: wrapped).bind(2, id.rawValue).run()
    }

    /// How many record rows there are.
    public static func count(on db: Connection) throws -> Int64 {
        let s = try db.statement("SELECT COUNT(*) FROM records")
        _ = try s.step()
        return s.int64(0)
    }

    public static func load(_ id: RecordID, on db: Connection) throws -> StoredRecord? {
        let s = try db.statement("""
            SELECT type, agency, status, version, created_at, updated_at, data_key_version, wrapped_key, header
            FROM records WHERE id = ?
            """)
        try s.bind(1, id.rawValue)
        guard try s.step() else { return nil }
        return StoredRecord(id: id, type: s.string(0), agency: s.string(1), status: s.string(2),
                            version: UInt64(bitPattern: s.int64(3)),
                            createdAt: Timestamp(millisecondsSinceEpoch: s.int64(4)),
                            updatedAt: Timestamp(millisecondsSinceEpoch: s.int64(5)),
                            dataKeyVersion: UInt32(truncatingIfNeeded: s.int64(6)),
                            wrappedKey: s.blob(7), sealedHeader: s.blob(8))
    }

    // MARK: fields

    public static func putField(_ record: RecordID, _ field: StoredField, on db: Connection) throws {
        try db.statement("""
            INSERT INTO fields (record_id, name, version, ciphertext) VALUES (?, ?, ?, ?)
            ON CONFLICT (record_id, name) DO UPDATE SET version = excluded.version, ciphertext = excluded.ciphertext
            """)
            .bind(1, record.rawValue).bind(2, field.name).bind(3, Int64(field.version)).bind(4, blob: field.ciphertext)
            .run()
    }

    public static func fields(of record: RecordID, on db: Connection) throws -> [StoredField] {
        let s = try db.statement("SELECT name, version, ciphertext FROM fields WHERE record_id = ?")
        try s.bind(1, record.rawValue)
        var out = [StoredField]()
        while try s.step() {
            out.append(StoredField(name: s.string(0), version: UInt64(bitPattern: s.int64(1)), ciphertext: s.blob(2)))
        }
        return out
    }

    // MARK: assignment index

    /// The users the index lists for a record (the start-up check compares them with its
    /// header); a name stored as another type than text lists nothing, so it is left out.
    public static func assignees(of record: RecordID, on db: Connection) throws -> [String] {
        let s = try db.statement("SELECT user FROM record_assignees WHERE record_id = ? AND typeof(user) = 'text'")
        try s.bind(1, record.rawValue)
        var out = [String]()
        while try s.step() { out.append(s.string(0)) }
        return out
    }

    /// Mirrors the header's assignee list into the index used to list a user's records.
    public static func setAssignees(_ record: RecordID, _ users: [UserName], on db: Connection) throws {
        try db.statement("DELETE FROM record_assignees WHERE record_id = ?").bind(1, record.rawValue).run()
        for u in users {
            try db.statement("INSERT INTO record_assignees (user, record_id) VALUES (?, ?)")
                .bind(1, u.rawValue).bind(2, record.rawValue).run()
        }
    }
}
