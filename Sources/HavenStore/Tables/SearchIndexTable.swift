import HavenCore

/// One blind index row: a record whose `field` has a value whose index value is `value`.
public struct SearchIndexEntry: Sendable, Hashable {
    public let field: String
    public let value: UInt32

    public init(field: String, value: UInt32) {
        self.field = field
        self.value = value
    }
}

/// One index value a lookup looks for: `value` in `field`'s index at `agency` (index values
/// are per agency: HavenCrypto's `BlindIndex`).
public struct SearchIndexKey: Sendable, Hashable {
    public let agency: String
    public let field: String
    public let value: UInt32

    public init(agency: String, field: String, value: UInt32) {
        self.agency = agency
        self.field = field
        self.value = value
    }
}

/// What one search looks up: the records that have, for every group, one of its keys (one
/// group per value searched: its index value in each field of its kind at each agency).
public struct SearchIndexLookup: Sendable {
    public let groups: [[SearchIndexKey]]

    public init(groups: [[SearchIndexKey]]) {
        self.groups = groups
    }
}

/// A lookup's candidates: the first ones, the most recently changed first, and how many
/// there are in all.
public struct SearchCandidates: Sendable {
    public let ids: [RecordID]
    public let total: Int

    public init(ids: [RecordID], total: Int) {
        self.ids = ids
        self.total = total
    }
}

/// How one field's index was built: its search kind with the index format (`name/2`), and
/// the bits of its index values.
public struct SearchFieldLayout: Sendable, Hashable {
    public let field: String
    public let kind: String
    public let bits: Int

    public init(field: String, kind: String, bits: Int) {
        self.field = field
        self.kind = kind
        self.bits = bits
    }
}

/// The blind indexes of searchable fields (schema 6). Only an index: a row names a
/// candidate, which the vault opens and confirms on the decrypted value, so a row added,
/// changed or removed outside Haven can hide a record from a search or add a candidate
/// that is dropped, never reveal or grant anything.
public enum SearchIndexTable {
    /// Adds a record's rows (a new record, or the fields a change wrote, after `remove`).
    public static func insert(_ record: RecordID, _ entries: [SearchIndexEntry], on db: Connection) throws {
        for e in entries {
            try db.statement("INSERT OR IGNORE INTO search_index (field, value, record_id) VALUES (?, ?, ?)")
                .bind(1, e.field).bind(2, Int64(e.value)).bind(3, record.rawValue).run()
        }
    }

    /// A record's rows as stored (the start-up check compares them with what its values make);
    /// a row of another type than the writer stores matches no lookup, so it is left out.
    public static func entries(of record: RecordID, on db: Connection) throws -> [SearchIndexEntry] {
        let s = try db.statement("""
            SELECT field, value FROM search_index WHERE record_id = ? AND typeof(field) = 'text' AND typeof(value) = 'integer'
            """)
        try s.bind(1, record.rawValue)
        var out = [SearchIndexEntry]()
        while try s.step() { out.append(SearchIndexEntry(field: s.string(0), value: UInt32(truncatingIfNeeded: s.int64(1)))) }
        return out
    }

    /// Replaces every row of a record with `entries` (rows found edited outside Haven).
    public static func replace(_ record: RecordID, with entries: [SearchIndexEntry], on db: Connection) throws {
        try db.statement("DELETE FROM search_index WHERE record_id = ?").bind(1, record.rawValue).run()
        try insert(record, entries, on: db)
    }

    /// Removes a record's rows for `fields` (the fields a change wrote new values to).
    public static func remove(_ record: RecordID, fields: [String], on db: Connection) throws {
        for f in fields {
            try db.statement("DELETE FROM search_index WHERE record_id = ? AND field = ?").bind(1, record.rawValue).bind(2, f).run()
        }
    }

    /// The agencies the vault's records name, each once, in name order: the agencies a
    /// search computes its index values for (the policy's, and any since removed from it
    /// whose records are still here). One index seek per agency, not a scan of the records.
    public static func recordAgencies(on db: Connection) throws -> [String] {
        let s = try db.statement("""
            WITH RECURSIVE a(agency) AS (
                SELECT MIN(agency) FROM records
                UNION ALL SELECT (SELECT MIN(agency) FROM records WHERE agency > a.agency) FROM a WHERE a.agency IS NOT NULL)
            SELECT agency FROM a WHERE agency IS NOT NULL
            """)
        var out = [String]()
        while try s.step() { out.append(s.string(0)) }
        return out
    }

    /// The records that match one of `lookups`, the most recently changed first, at most
    /// `limit` of them, and how many there are in all. Each key is checked against the
    /// agency of the record its row names, since an index value is one agency's: a row whose
    /// value is another agency's by chance names no candidate. SQLite intersects each
    /// lookup's groups, so a date of birth shared by hundreds of records costs nothing when
    /// a name is searched with it; one statement for every agency, field and lookup.
    ///
    /// `perLookup` bounds what each lookup walks: SQLite then stops reading a lookup's rows
    /// after that many candidates, so a value shared by ten thousand records costs what it
    /// costs when shared by `perLookup`; `total` then counts only the candidates walked.
    public static func candidates(_ lookups: [SearchIndexLookup], limit: Int, perLookup: Int? = nil,
                                  on db: Connection) throws -> SearchCandidates {
        guard let (sql, binds) = candidatesSQL(lookups, perLookup: perLookup) else { return SearchCandidates(ids: [], total: 0) }
        let s = try db.statement(sql)
        var i: Int32 = 1
        for b in binds + [.integer(Int64(limit))] {
            switch b {
            case .text(let t): try s.bind(i, t)
            case .integer(let n): try s.bind(i, n)
            }
            i += 1
        }
        var ids = [RecordID]()
        var total = 0
        while try s.step() {
            total = Int(s.int64(1))
            // Every id is a record's (the join), so each parses; one that did not would name nothing.
            if let id = try? RecordID(s.string(0)) { ids.append(id) }
        }
        return SearchCandidates(ids: ids, total: total)
    }

    /// The lookup's statement and its values but the last (the limit); nil when a lookup
    /// has a group with no key (a value searched in no field) and so names nothing.
    static func candidatesSQL(_ lookups: [SearchIndexLookup], perLookup: Int? = nil) -> (String, [SQLValue])? {
        let usable = lookups.filter { !$0.groups.isEmpty && $0.groups.allSatisfy { !$0.isEmpty } }
        guard !usable.isEmpty else { return nil }
        var binds = [SQLValue]()
        func list(_ values: [SQLValue]) -> String {
            binds += values
            return "(" + values.map { _ in "?" }.joined(separator: ",") + ")"
        }
        // The IN lists of fields and values reach the rows through the primary key; the row
        // value IN keeps only the keys of the row's record's own agency. CROSS JOIN keeps the
        // index rows the outer loop: with one agency, SQLite would otherwise walk every
        // record of that agency through `records_by_agency`.
        let selects = usable.map { lookup in
            let select = "SELECT * FROM (" + lookup.groups.map { group in
                let fields = list(Set(group.map(\.field)).sorted().map { .text($0) })
                let values = list(Set(group.map(\.value)).sorted().map { .integer(Int64($0)) })
                let keys = group.map { k -> String in
                    binds += [.text(k.agency), .text(k.field), .integer(Int64(k.value))]
                    return "(?,?,?)"
                }.joined(separator: ",")
                return "SELECT s.record_id FROM search_index s CROSS JOIN records r ON r.id = s.record_id "
                    + "WHERE s.field IN \(fields) AND s.value IN \(values) AND (r.agency, s.field, s.value) IN (VALUES \(keys))"
            }.joined(separator: " INTERSECT ") + ")"
            guard let perLookup else { return select }
            binds.append(.integer(Int64(perLookup)))
            return "SELECT * FROM (" + select + " LIMIT ?)"
        }
        let sql = "WITH c(id) AS (" + selects.joined(separator: " UNION ") + ") "
            + "SELECT r.id, COUNT(*) OVER () FROM c JOIN records r ON r.id = c.id ORDER BY r.updated_at DESC, r.id DESC LIMIT ?"
        return (sql, binds)
    }

    enum SQLValue {
        case text(String)
        case integer(Int64)
    }

    /// How many rows each index value of `field` has (the benchmark's measured C).
    public static func bucketSizes(field: String, on db: Connection) throws -> [Int] {
        let s = try db.statement("SELECT COUNT(*) FROM search_index WHERE field = ? GROUP BY value")
        try s.bind(1, field)
        var out = [Int]()
        while try s.step() { out.append(Int(s.int64(0))) }
        return out
    }

    /// The fields the rows were built for.
    public static func layout(on db: Connection) throws -> Set<SearchFieldLayout> {
        let s = try db.statement("SELECT field, kind, bits FROM search_fields")
        var out = Set<SearchFieldLayout>()
        while try s.step() { out.insert(SearchFieldLayout(field: s.string(0), kind: s.string(1), bits: Int(s.int64(2)))) }
        return out
    }

    /// Empties the index and says it was built for no field, so the next start rebuilds it.
    public static func removeAll(on db: Connection) throws {
        try db.execute("DELETE FROM search_index; DELETE FROM search_fields;")
    }

    /// Records which fields the rows are now built for.
    public static func setLayout(_ layout: Set<SearchFieldLayout>, on db: Connection) throws {
        try db.execute("DELETE FROM search_fields")
        for l in layout {
            try db.statement("INSERT INTO search_fields (field, kind, bits) VALUES (?, ?, ?)")
                .bind(1, l.field).bind(2, l.kind).bind(3, Int64(l.bits)).run()
        }
    }
}
