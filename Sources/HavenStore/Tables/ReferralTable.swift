import HavenCore

/// A row of the referral index: enough to list an agency's referrals and to find the record
/// a referral belongs to. Never trusted on its own: the record's sealed header says what the
/// referral is.
public struct StoredReferral: Sendable, Equatable {
    public let id: String
    public let record: String
    public let from: String
    public let to: String
    public let service: String
    public let status: String
    public let createdAt: Timestamp
    public let updatedAt: Timestamp

    public init(id: String, record: String, from: String, to: String, service: String, status: String, createdAt: Timestamp,
                updatedAt: Timestamp) {
        self.id = id
        self.record = record
        self.from = from
        self.to = to
        self.service = service
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The `referrals` index and the sealed `referral_events` rows.
public enum ReferralTable {
    /// Writes the index row of a referral as it now stands (the sealed header is written in
    /// the same transaction). A new referral's id must be new: it never replaces a row.
    public static func put(_ r: StoredReferral, isNew: Bool, on db: Connection) throws {
        if isNew {
            try db.statement("""
                INSERT INTO referrals (id, record_id, from_agency, to_agency, service, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .bind(1, r.id).bind(2, r.record).bind(3, r.from).bind(4, r.to).bind(5, r.service).bind(6, r.status)
                .bind(7, r.createdAt.millisecondsSinceEpoch).bind(8, r.updatedAt.millisecondsSinceEpoch).run()
        } else {
            // Keyed by referral and record: a row pointing elsewhere is not the one changed.
            try db.statement("UPDATE referrals SET status = ?, updated_at = ? WHERE id = ? AND record_id = ?")
                .bind(1, r.status).bind(2, r.updatedAt.millisecondsSinceEpoch).bind(3, r.id).bind(4, r.record).run()
        }
    }

    public static func get(_ id: String, on db: Connection) throws -> StoredReferral? {
        let s = try db.statement("""
            SELECT id, record_id, from_agency, to_agency, service, status, created_at, updated_at FROM referrals WHERE id = ?
            """)
        try s.bind(1, id)
        return try s.step() ? row(s) : nil
    }

    /// A record's rows as stored, by id (the start-up check compares them with its header); a
    /// row of other types than the writer stores is not what a list would read, so it is left out.
    public static func rows(of record: RecordID, on db: Connection) throws -> [StoredReferral] {
        let s = try db.statement("""
            SELECT id, record_id, from_agency, to_agency, service, status, created_at, updated_at FROM referrals
            WHERE record_id = ? AND typeof(id) = 'text' AND typeof(from_agency) = 'text' AND typeof(to_agency) = 'text'
              AND typeof(service) = 'text' AND typeof(status) = 'text' AND typeof(created_at) = 'integer'
              AND typeof(updated_at) = 'integer'
            ORDER BY id
            """)
        try s.bind(1, record.rawValue)
        var out = [StoredReferral]()
        while try s.step() { out.append(row(s)) }
        return out
    }

    /// Replaces a record's rows, and any row bearing one of their ids, with `rows` (rows
    /// found edited outside Haven).
    public static func replace(_ record: RecordID, with rows: [StoredReferral], on db: Connection) throws {
        try db.statement("DELETE FROM referrals WHERE record_id = ?").bind(1, record.rawValue).run()
        for r in rows {
            try db.statement("DELETE FROM referrals WHERE id = ?").bind(1, r.id).run()
            try put(r, isNew: true, on: db)
        }
    }

    public enum Direction: Sendable { case incoming, outgoing }

    /// An agency's referrals, the latest change first, at most `limit`.
    public static func list(_ agency: String, _ direction: Direction, status: String?, limit: Int,
                            on db: Connection) throws -> [StoredReferral] {
        let column = direction == .incoming ? "to_agency" : "from_agency"
        let s = try db.statement("""
            SELECT id, record_id, from_agency, to_agency, service, status, created_at, updated_at FROM referrals
            WHERE \(column) = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY updated_at DESC, id LIMIT ?3
            """)
        try s.bind(1, agency).bind(2, status).bind(3, Int64(limit))
        var out = [StoredReferral]()
        while try s.step() { out.append(row(s)) }
        return out
    }

    private static func row(_ s: Statement) -> StoredReferral {
        StoredReferral(id: s.string(0), record: s.string(1), from: s.string(2), to: s.string(3), service: s.string(4),
                       status: s.string(5), createdAt: Timestamp(millisecondsSinceEpoch: s.int64(6)),
                       updatedAt: Timestamp(millisecondsSinceEpoch: s.int64(7)))
    }

    public static func putEvent(_ record: RecordID, index: UInt64, sealed: [UInt8], on db: Connection) throws {
        try db.statement("INSERT INTO referral_events (record_id, idx, event) VALUES (?, ?, ?)")
            .bind(1, record.rawValue).bind(2, Int64(index)).bind(3, blob: sealed).run()
    }

    /// The referral events with indexes in `range`, in order; a missing one is simply absent.
    public static func events(of record: RecordID, in range: ClosedRange<UInt64>,
                              on db: Connection) throws -> [(index: UInt64, sealed: [UInt8])] {
        let s = try db.statement("SELECT idx, event FROM referral_events WHERE record_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
        try s.bind(1, record.rawValue).bind(2, Int64(range.lowerBound)).bind(3, Int64(range.upperBound))
        var out = [(index: UInt64, sealed: [UInt8])]()
        while try s.step() { out.append((UInt64(bitPattern: s.int64(0)), s.blob(1))) }
        return out
    }
}
