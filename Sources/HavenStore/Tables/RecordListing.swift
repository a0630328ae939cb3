import HavenCore

extension RecordTable {
    /// The most records a page's `remaining` counts; that many means "that many or more".
    public static let remainingCountLimit: Int64 = 10_000

    /// Where a listing starts: after a record id (id order) or after a cursor (last-change order).
    public enum ListStart: Sendable {
        case afterID(RecordID?)
        case afterCursor(RecordCursor?)
    }

    /// Record rows in id order after `after`, at most `limit` (the order of earlier releases).
    public static func list(scope: RecordScope, after: RecordID?, limit: Int, on db: Connection) throws -> [StoredRecord] {
        try list(scope: scope, order: .id, start: .afterID(after), limit: limit, on: db)
    }

    /// One page of record rows in `order`. Keyset pagination on an index of the order, so a
    /// page costs the same at record 10 and at record 1,000,000; only a user's own assignments
    /// are sorted, as they are found through the assignment index.
    public static func list(scope: RecordScope, order: RecordOrder, start: ListStart, limit: Int,
                            on db: Connection) throws -> [StoredRecord] {
        let s = try db.statement(listSQL(scope: scope, order: order, start: start))
        try ListQuery(scope: scope, order: order, start: start).bind(s, limit: limit)
        var rows = [StoredRecord]()
        while try s.step() {
            rows.append(StoredRecord(id: try RecordID(s.string(0)), type: s.string(1), agency: s.string(2), status: s.string(3),
                                     version: UInt64(bitPattern: s.int64(4)),
                                     createdAt: Timestamp(millisecondsSinceEpoch: s.int64(5)),
                                     updatedAt: Timestamp(millisecondsSinceEpoch: s.int64(6)),
                                     dataKeyVersion: UInt32(truncatingIfNeeded: s.int64(7)),
                                     wrappedKey: s.blob(8), sealedHeader: s.blob(9)))
        }
        return rows
    }

    /// The query of a page (its plan is checked in the tests).
    static func listSQL(scope: RecordScope, order: RecordOrder, start: ListStart) -> String {
        let query = ListQuery(scope: scope, order: order, start: start)
        return "SELECT \(ListQuery.columns) \(query.from) WHERE \(query.conditions) ORDER BY \(query.orderBy) LIMIT ?"
    }

    /// How many rows of the scope come after `last` in `order`, counted on the index up to
    /// `remainingCountLimit`, so a page never scans the whole table to say what is left.
    public static func remaining(scope: RecordScope, order: RecordOrder, after last: StoredRecord,
                                 on db: Connection) throws -> Int64 {
        let start: ListStart = order == .id ? .afterID(last.id) : .afterCursor(RecordCursor(updatedAt: last.updatedAt, id: last.id))
        let query = ListQuery(scope: scope, order: order, start: start)
        let s = try db.statement("SELECT count(*) FROM (SELECT 1 \(query.from) WHERE \(query.conditions) LIMIT ?)")
        try query.bind(s, limit: Int(remainingCountLimit))
        _ = try s.step()
        return s.int64(0)
    }
}

/// The SQL of one listing: the scope's rows, past the start, in the order.
private struct ListQuery {
    static let columns = "r.id, r.type, r.agency, r.status, r.version, r.created_at, r.updated_at, r.data_key_version, r.wrapped_key, r.header"

    let scope: RecordScope
    let order: RecordOrder
    let start: RecordTable.ListStart

    var from: String {
        if case .assignedTo = scope { return "FROM record_assignees a JOIN records r ON r.id = a.record_id" }
        return "FROM records r"
    }

    /// The scope, then the position: a row value comparison, which SQLite answers from the
    /// (updated_at, id) index (schema 5) as a range, not a scan.
    var conditions: String {
        var c: [String]
        switch scope {
        case .all: c = []
        case .agency: c = ["r.agency = ?"]
        case .assignedTo: c = ["a.user = ?"]
        }
        switch (order, start) {
        case (.id, _): c.append("r.id > ?")
        case (.newest, .afterCursor(.some)): c.append("(r.updated_at, r.id) < (?, ?)")
        case (.oldest, .afterCursor(.some)): c.append("(r.updated_at, r.id) > (?, ?)")
        default: break
        }
        return c.isEmpty ? "1" : c.joined(separator: " AND ")
    }

    var orderBy: String {
        switch order {
        case .id: "r.id"
        case .newest: "r.updated_at DESC, r.id DESC"
        case .oldest: "r.updated_at, r.id"
        }
    }

    func bind(_ s: Statement, limit: Int) throws {
        var i: Int32 = 1
        switch scope {
        case .all: break
        case .agency(let agency):
            try s.bind(i, agency.rawValue)
            i += 1
        case .assignedTo(let user):
            try s.bind(i, user.rawValue)
            i += 1
        }
        switch (order, start) {
        case (.id, .afterID(let id)):
            try s.bind(i, id?.rawValue ?? "")
            i += 1
        case (.id, .afterCursor(let cursor)):
            try s.bind(i, cursor?.id.rawValue ?? "")
            i += 1
        case (_, .afterCursor(.some(let cursor))):
            try s.bind(i, cursor.updatedAt.millisecondsSinceEpoch).bind(i + 1, cursor.id.rawValue)
            i += 2
        default: break
        }
        try s.bind(i, Int64(limit))
    }
}
