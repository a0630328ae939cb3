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

/// How one field's index was built: its search kind and the bits of its index values.
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

    /// Removes a record's rows for `fields` (the fields a change wrote new values to).
    public static func remove(_ record: RecordID, fields: [String], on db: Connection) throws {
        for f in fields {
            try db.statement("DELETE FROM search_index WHERE record_id = ? AND field = ?").bind(1, record.rawValue).bind(2, f).run()
        }
    }

    /// The records that have, for every group, one of the group's index rows (one group per
    /// value searched: its index value in each field of its kind), at most `limit` of them.
    /// SQLite intersects the groups, so a date of birth shared by hundreds of records costs
    /// nothing when a name is searched with it.
    public static func candidates(_ groups: [[SearchIndexEntry]], limit: Int, on db: Connection) throws -> [RecordID] {
        let nonEmpty = groups.filter { !$0.isEmpty }
        guard nonEmpty.count == groups.count, !groups.isEmpty else { return [] }
        let selects = nonEmpty.map { group in
            "SELECT record_id FROM search_index WHERE " + group.map { _ in "(field = ? AND value = ?)" }.joined(separator: " OR ")
        }
        let s = try db.statement(selects.joined(separator: " INTERSECT ") + " LIMIT ?")
        var i: Int32 = 1
        for e in nonEmpty.joined() {
            try s.bind(i, e.field).bind(i + 1, Int64(e.value))
            i += 2
        }
        try s.bind(i, Int64(limit))
        var out = [RecordID]()
        while try s.step() {
            // A row whose id is no record id was not written by Haven: it names nothing.
            if let id = try? RecordID(s.string(0)) { out.append(id) }
        }
        return out
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
