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

    /// One page of record rows in `order`, in one query. Keyset pagination on an index of the
    /// order, so a page costs the same at record 10 and at record 1,000,000; only a user's own
    /// assignments, and the records referred to the agency, are sorted (few, found through
    /// their indexes), and merged with the agency's own rows as they are read.
    ///
    /// `referred`, when given, narrows the arm of the records referred to the agency to these
    /// ids: a user's scope needs it, as the index cannot tell whose referral a record is (the
    /// assignee is only in the sealed header), so the caller opens them all first and passes
    /// the ones it may list; then the page and its count hold only those.
    public static func list(scope: RecordScope, order: RecordOrder, start: ListStart, limit: Int,
                            referred: [RecordID]? = nil, on db: Connection) throws -> [StoredRecord] {
        let s = try db.statement(listSQL(scope: scope, order: order, start: start, referred: referred))
        try ListQuery(scope: scope, order: order, start: start, referred: referred).bind(s, limit: limit)
        return try rows(of: s)
    }

    /// Every record of another agency referred to `agency` whose referral the index says is
    /// accepted, by id: the few a user's listing opens to see which are theirs.
    public static func referred(to agency: AgencyName, on db: Connection) throws -> [StoredRecord] {
        let s = try db.statement("SELECT \(ListQuery.columns) \(ListQuery.referred) ORDER BY r.id")
        try s.bind(1, agency.rawValue).bind(2, agency.rawValue)
        return try rows(of: s)
    }

    private static func rows(of s: Statement) throws -> [StoredRecord] {
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
    static func listSQL(scope: RecordScope, order: RecordOrder, start: ListStart, referred: [RecordID]? = nil) -> String {
        let query = ListQuery(scope: scope, order: order, start: start, referred: referred)
        return query.arms.map { "SELECT \(ListQuery.columns) \($0)" }.joined(separator: " UNION ALL ")
            + " ORDER BY \(query.orderBy) LIMIT ?"
    }

    /// How many rows of the scope come after `last` in `order`, counted on the index up to
    /// `remainingCountLimit`, so a page never scans the whole table to say what is left;
    /// `referred` as for `list`.
    public static func remaining(scope: RecordScope, order: RecordOrder, after last: StoredRecord,
                                 referred: [RecordID]? = nil, on db: Connection) throws -> Int64 {
        let start: ListStart = order == .id ? .afterID(last.id) : .afterCursor(RecordCursor(updatedAt: last.updatedAt, id: last.id))
        let query = ListQuery(scope: scope, order: order, start: start, referred: referred)
        let s = try db.statement("SELECT count(*) FROM (\(query.arms.map { "SELECT 1 \($0)" }.joined(separator: " UNION ALL ")) LIMIT ?)")
        try query.bind(s, limit: Int(remainingCountLimit))
        _ = try s.step()
        return s.int64(0)
    }
}

/// The SQL of one listing: the scope's rows, past the start, in the order. An agency's scope
/// (and a user's) has a second arm, the records of other agencies referred to it whose
/// referral the index says is accepted; the arms are disjoint (by agency), so UNION ALL
/// never lists a record twice, and SQLite merges them in the order.
private struct ListQuery {
    static let columns = "r.id, r.type, r.agency, r.status, r.version, r.created_at, r.updated_at, r.data_key_version, r.wrapped_key, r.header"
    static let referred = "FROM records r WHERE r.agency <> ? "
        + "AND r.id IN (SELECT record_id FROM referrals WHERE to_agency = ? AND status = 'accepted')"

    let scope: RecordScope
    let order: RecordOrder
    let start: RecordTable.ListStart
    /// The referred records the caller may list, when the scope needs them named (`list`).
    var referred: [RecordID]?

    /// The referred arm, narrowed to the named ids when given: one JSON array bound as one
    /// value (ids are base32, nothing to escape), so no count of ids meets SQLite's limit
    /// on variables. Nil when none are named: the arm is left out.
    var referredArm: String? {
        guard let referred else { return Self.referred }
        return referred.isEmpty ? nil : Self.referred + " AND r.id IN (SELECT value FROM json_each(?))"
    }

    /// Each arm's FROM and WHERE, the position included.
    var arms: [String] {
        switch scope {
        case .all: ["FROM records r WHERE \(position ?? "1")"]
        case .agency:
            ["FROM records r WHERE r.agency = ?" + (position.map { " AND \($0)" } ?? "")]
                + (referredArm.map { [$0 + (position.map { " AND \($0)" } ?? "")] } ?? [])
        case .assignedTo:
            ["FROM record_assignees a JOIN records r ON r.id = a.record_id WHERE a.user = ? AND r.agency = ?"
                + (position.map { " AND \($0)" } ?? "")]
                + (referredArm.map { [$0 + (position.map { " AND \($0)" } ?? "")] } ?? [])
        }
    }

    /// Where the page starts: a row value comparison, which SQLite answers from the
    /// (updated_at, id) indexes (schema 5) as a range, not a scan.
    var position: String? {
        switch (order, start) {
        case (.id, _): "r.id > ?"
        case (.newest, .afterCursor(.some)): "(r.updated_at, r.id) < (?, ?)"
        case (.oldest, .afterCursor(.some)): "(r.updated_at, r.id) > (?, ?)"
        default: nil
        }
    }

    /// The order, by result column (as a compound select needs).
    var orderBy: String {
        switch order {
        case .id: "id"
        case .newest: "updated_at DESC, id DESC"
        case .oldest: "updated_at, id"
        }
    }

    func bind(_ s: Statement, limit: Int) throws {
        var i: Int32 = 1
        func bindPosition() throws {
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
        }
        func bindReferred(_ agency: AgencyName) throws {
            guard referredArm != nil else { return }
            try s.bind(i, agency.rawValue).bind(i + 1, agency.rawValue)
            i += 2
            if let referred {
                try s.bind(i, "[" + referred.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]")
                i += 1
            }
            try bindPosition()
        }
        switch scope {
        case .all:
            try bindPosition()
        case .agency(let agency):
            try s.bind(i, agency.rawValue)
            i += 1
            try bindPosition()
            try bindReferred(agency)
        case .assignedTo(let user, let agency):
            try s.bind(i, user.rawValue).bind(i + 1, agency.rawValue)
            i += 2
            try bindPosition()
            try bindReferred(agency)
        }
        try s.bind(i, Int64(limit))
    }
}
