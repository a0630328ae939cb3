import HavenCore

extension RecordTable {
    /// Record rows in id order after `after`, at most `limit` (keyset pagination, so a page
    /// costs the same at record 10 and at record 1,000,000).
    public static func list(scope: RecordScope, after: RecordID?, limit: Int, on db: Connection) throws -> [StoredRecord] {
        let columns = "r.id, r.type, r.agency, r.status, r.version, r.created_at, r.updated_at, r.data_key_version, r.wrapped_key, r.header"
        let s: Statement
        switch scope {
        case .all:
            s = try db.statement("SELECT \(columns) FROM records r WHERE r.id > ? ORDER BY r.id LIMIT ?")
            try s.bind(1, after?.rawValue ?? "").bind(2, Int64(limit))
        case .agency(let agency):
            s = try db.statement("SELECT \(columns) FROM records r WHERE r.agency = ? AND r.id > ? ORDER BY r.id LIMIT ?")
            try s.bind(1, agency.rawValue).bind(2, after?.rawValue ?? "").bind(3, Int64(limit))
        case .assignedTo(let user):
            s = try db.statement("""
                SELECT \(columns) FROM record_assignees a JOIN records r ON r.id = a.record_id
                WHERE a.user = ? AND a.record_id > ? ORDER BY a.record_id LIMIT ?
                """)
            try s.bind(1, user.rawValue).bind(2, after?.rawValue ?? "").bind(3, Int64(limit))
        }
        var out = [StoredRecord]()
        while try s.step() {
            out.append(StoredRecord(id: try RecordID(s.string(0)), type: s.string(1), agency: s.string(2), status: s.string(3),
                                    version: UInt64(bitPattern: s.int64(4)),
                                    createdAt: Timestamp(millisecondsSinceEpoch: s.int64(5)),
                                    updatedAt: Timestamp(millisecondsSinceEpoch: s.int64(6)),
                                    dataKeyVersion: UInt32(truncatingIfNeeded: s.int64(7)),
                                    wrappedKey: s.blob(8), sealedHeader: s.blob(9)))
        }
        return out
    }
}
