import HavenCore

/// The columns an entry is found by (`haven audit log` filters, `audit summary`), copied
/// from the entry. Only an index: verification reads the entry bytes, never these.
public struct AuditIndex: Sendable {
    public let time: Int64
    public let action: String
    public let user: String?
    public let record: String?
    public let decision: String
    public let breakGlass: Bool

    public init(time: Int64, action: String, user: String?, record: String?, decision: String, breakGlass: Bool) {
        self.time = time
        self.action = action
        self.user = user
        self.record = record
        self.decision = decision
        self.breakGlass = breakGlass
    }
}

/// The audit log's rows: entries with their leaf hashes, signed checkpoints, and the
/// hashes of complete 256-leaf subtrees that make proofs over a large log cheap.
///
/// Nothing here is trusted by a verifier: `haven audit verify` recomputes every hash from
/// the entry bytes and checks the result against checkpoints signed by the vault key.
public enum AuditTable {
    /// Stores one entry. `state` is the new state tag of the row the entry's request changed
    /// (key and tag), `mac` the entry's tag under the vault's audit key (FORMAT.md).
    public static func append(seq: UInt64, entry: [UInt8], leafHash: [UInt8], index: AuditIndex,
                              state: (key: String, tag: [UInt8])? = nil, mac: [UInt8]? = nil, link: AuditRecordLink? = nil,
                              on db: Connection) throws {
        // An entry about a record that no chain takes is still found by record (-2, the partial
        // index). An entry about no record leaves `record_prev` out (NULL): the schema 3
        // upgrade writes one before the column exists.
        let link = link ?? (index.record == nil ? nil : .unchained)
        let s = try db.statement(link == nil ? """
            INSERT INTO audit_entries (seq, entry, leaf_hash, time, action, user, record, decision, break_glass, state_key, state, mac)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """ : """
            INSERT INTO audit_entries (seq, entry, leaf_hash, time, action, user, record, decision, break_glass, state_key, state, mac,
                                       record_prev)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try s.bind(1, Int64(clamping: seq)).bind(2, blob: entry).bind(3, blob: leafHash).bind(4, index.time).bind(5, index.action)
            .bind(6, index.user).bind(7, index.record).bind(8, index.decision).bind(9, Int64(index.breakGlass ? 1 : 0))
            .bind(10, state?.key)
        if let state { try s.bind(11, blob: state.tag) } else { try s.bindNull(11) }
        if let mac { try s.bind(12, blob: mac) } else { try s.bindNull(12) }
        if let link { try s.bind(13, link.column) }
        try s.run()
    }

    /// Sets the tag of an entry written before entries had tags (the schema 3 upgrade).
    public static func setTag(seq: UInt64, mac: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE audit_entries SET mac = ? WHERE seq = ?").bind(1, blob: mac).bind(2, Int64(clamping: seq)).run()
    }

    public static func putSubtree(index: UInt64, hash: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO audit_subtrees (idx, hash) VALUES (?, ?)")
            .bind(1, Int64(index)).bind(2, blob: hash).run()
    }

    /// Adds a checkpoint. Never replaces one: an older checkpoint of the same size that no
    /// longer matches the log is exactly the evidence a verifier needs.
    public static func putCheckpoint(size: UInt64, note: [UInt8], on db: Connection) throws {
        try db.statement("INSERT INTO audit_checkpoints (size, note) VALUES (?, ?)")
            .bind(1, Int64(size)).bind(2, blob: note).run()
    }

    /// The number of entries, read as one past the highest sequence number (seq starts at 0).
    public static func count(on db: Connection) throws -> UInt64 {
        let s = try db.statement("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_entries")
        _ = try s.step()
        return UInt64(clamping: s.int64(0))
    }

    /// Calls `body` for each entry with `seq` in `range`, in order, without copying blobs.
    public static func forEachEntry(in range: Range<UInt64>, on db: Connection,
                                    _ body: (UInt64, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        let s = try db.statement("SELECT seq, entry, leaf_hash FROM audit_entries WHERE seq >= ? AND seq < ? ORDER BY seq")
        try s.bind(1, Int64(clamping: range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
        while try s.step() {
            let seq = UInt64(clamping: s.int64(0))
            try s.withBlob(1) { entry in
                try s.withBlob(2) { leaf in try body(seq, entry, leaf) }
            }
        }
    }

    /// Calls `body` for each entry with `seq` in `range`, in order, with the columns its tag
    /// covers: the entry, its stored leaf hash, the state it commits to, and the tag; when
    /// `links` is set, the record it is about and its link in that record's chain; and when
    /// `index` is set, the columns copied from the entry that the filters read.
    public static func forEachAuthenticatedEntry(in range: Range<UInt64>, links: Bool = false, index: Bool = false, on db: Connection,
                                                 _ body: (AuthenticatedRow) throws -> Void) throws {
        let s = try db.statement(links || index ? """
            SELECT seq, entry, leaf_hash, state_key, state, mac, record, record_prev, \(IndexCopies.columns) FROM audit_entries
            WHERE seq >= ? AND seq < ? ORDER BY seq
            """ : """
            SELECT seq, entry, leaf_hash, state_key, state, mac FROM audit_entries WHERE seq >= ? AND seq < ? ORDER BY seq
            """)
        try s.bind(1, Int64(clamping: range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
        while try s.step() {
            let seq = UInt64(clamping: s.int64(0))
            // In place, without copies: the start-up check reads every row of a large log.
            try s.withBlob(1) { entry in
                try s.withBlob(2) { leaf in
                    try s.withOptionalBytes(3) { stateKey in
                        try s.withOptionalBytes(4) { state in
                            try s.withOptionalBytes(5) { mac in
                                guard links || index else {
                                    return try body(AuthenticatedRow(seq: seq, entry: entry, leafHash: leaf, stateKey: stateKey,
                                                                     state: state, mac: mac))
                                }
                                try s.withOptionalBytes(6) { record in
                                    var row = AuthenticatedRow(seq: seq, entry: entry, leafHash: leaf, stateKey: stateKey, state: state,
                                                               mac: mac, record: record, recordPrevious: s.optionalInt64(7))
                                    guard index else { return try body(row) }
                                    try s.withBlob(9) { action in
                                        try s.withOptionalBytes(10) { user in
                                            try s.withBlob(11) { decision in
                                                row.index = IndexCopies(time: s.int64(8), action: action, user: user, record: record,
                                                                        decision: decision, breakGlass: s.int64(12),
                                                                        mistyped: UInt8(truncatingIfNeeded: s.int64(13)))
                                                try body(row)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One stored entry with its authenticated columns; the buffers are valid only inside the
    /// callback that receives it.
    public struct AuthenticatedRow {
        public let seq: UInt64
        public let entry: UnsafeRawBufferPointer
        public let leafHash: UnsafeRawBufferPointer
        /// The state key's UTF-8 bytes, the state tag and the entry's tag; nil when NULL.
        public let stateKey: UnsafeRawBufferPointer?
        public let state: UnsafeRawBufferPointer?
        public let mac: UnsafeRawBufferPointer?
        /// The `record` column's UTF-8 bytes and `record_prev` (read only when links are asked for).
        public var record: UnsafeRawBufferPointer? = nil
        public var recordPrevious: Int64? = nil
        /// The columns copied from the entry (read only when the index is asked for).
        public var index: IndexCopies? = nil
    }

    /// The columns of one row copied from its entry (`AuditIndex`), as stored, which no tag
    /// covers: the reader compares them with the entry.
    public struct IndexCopies {
        public let time: Int64
        public let action: UnsafeRawBufferPointer
        public let user: UnsafeRawBufferPointer?
        public let record: UnsafeRawBufferPointer?
        public let decision: UnsafeRawBufferPointer
        public let breakGlass: Int64
        /// A bit per column, in table order from `time` (bit 0) to `break_glass` (bit 5), for
        /// each whose SQLite type is not the one the writer stores.
        public let mistyped: UInt8

        /// The columns after `record_prev`, the last the type bits.
        static let columns = """
            time, action, user, decision, break_glass, \
            (typeof(time) <> 'integer') + 2 * (typeof(action) <> 'text') + 4 * (typeof(user) NOT IN ('text', 'null')) \
            + 8 * (typeof(record) NOT IN ('text', 'null')) + 16 * (typeof(decision) <> 'text') \
            + 32 * (typeof(break_glass) <> 'integer')
            """
    }

    /// Writes the columns copied from entry `seq` again (the start-up check, from the entry
    /// itself when they were edited outside Haven).
    public static func setIndex(seq: UInt64, _ index: AuditIndex, on db: Connection) throws {
        try db.statement("UPDATE audit_entries SET time = ?, action = ?, user = ?, record = ?, decision = ?, break_glass = ? WHERE seq = ?")
            .bind(1, index.time).bind(2, index.action).bind(3, index.user).bind(4, index.record).bind(5, index.decision)
            .bind(6, Int64(index.breakGlass ? 1 : 0)).bind(7, Int64(clamping: seq)).run()
    }

    public static func entry(seq: UInt64, on db: Connection) throws -> [UInt8]? {
        let s = try db.statement("SELECT entry FROM audit_entries WHERE seq = ?")
        try s.bind(1, Int64(clamping: seq))
        return try s.step() ? s.blob(0) : nil
    }

    public static func leafHashes(in range: Range<UInt64>, on db: Connection) throws -> [[UInt8]] {
        let s = try db.statement("SELECT leaf_hash FROM audit_entries WHERE seq >= ? AND seq < ? ORDER BY seq")
        try s.bind(1, Int64(clamping: range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
        var out = [[UInt8]]()
        out.reserveCapacity(Int(range.count))
        while try s.step() { out.append(s.blob(0)) }
        return out
    }

    public static func subtree(index: UInt64, on db: Connection) throws -> [UInt8]? {
        let s = try db.statement("SELECT hash FROM audit_subtrees WHERE idx = ?")
        try s.bind(1, Int64(clamping: index))
        return try s.step() ? s.blob(0) : nil
    }

    /// The most entries a page's `remaining` counts; that many means "that many or more".
    public static let remainingCountLimit: Int64 = 10_000

    /// Entries matching `filter`, a page at a time: oldest first after `cursor`, or newest
    /// first before it. `remaining` counts the matching entries beyond the page, up to
    /// `countLimit` (so a page never costs a scan of the whole log).
    ///
    /// A filter by record needs `chain`: where that record's chain of entries starts, as the
    /// writer published it before this read's snapshot began (see `searchRecord`).
    public static func search(_ filter: AuditFilter, chain: AuditRecordChain? = nil, newestFirst: Bool = false, cursor: UInt64?,
                              limit: Int, countLimit: Int64 = remainingCountLimit,
                              on db: Connection) throws -> (rows: [(seq: UInt64, entry: [UInt8])], remaining: Int64) {
        if let record = filter.record {
            guard let chain else { preconditionFailure("a search by record needs the record's chain") }
            return try searchRecord(record, chain: chain, filter: filter, newestFirst: newestFirst, cursor: cursor, limit: limit,
                                    countLimit: countLimit, on: db)
        }
        let (clauses, args) = filter.clauses()
        func run(_ sql: String, _ extra: [Any], _ row: (Statement) -> Void) throws {
            let s = try db.statement(sql)
            try Self.bind(args + extra, to: s)
            while try s.step() { row(s) }
        }
        let direction = newestFirst ? "seq < ?" : "seq > ?"
        let start: Int64 = newestFirst ? cursor.map { Int64(clamping: $0) } ?? Int64.max : cursor.map { Int64(clamping: $0) } ?? -1
        let page = (clauses + [direction]).joined(separator: " AND ")
        var rows = [(seq: UInt64, entry: [UInt8])]()
        try run("SELECT seq, entry FROM audit_entries WHERE \(page) ORDER BY seq \(newestFirst ? "DESC" : "ASC") LIMIT ?",
                [start, Int64(limit)]) { s in rows.append((UInt64(clamping: s.int64(0)), s.blob(1))) }
        var remaining: Int64 = 0
        if rows.count == limit, let last = rows.last {
            try run("SELECT COUNT(*) FROM (SELECT 1 FROM audit_entries WHERE \(page) LIMIT ?)",
                    [Int64(clamping: last.seq), countLimit]) { s in remaining = s.int64(0) }
        }
        return (rows, remaining)
    }

    /// Per user over a period: allowed record reads, denials, break-glass uses, all requests.
    public static func summary(since: Int64?, until: Int64?, on db: Connection) throws -> [AuditUserSummary] {
        let s = try db.statement("""
            SELECT COALESCE(user, ''),
                   SUM(CASE WHEN action = 'record.read' AND decision = 'allow' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN decision = 'deny' THEN 1 ELSE 0 END),
                   SUM(break_glass),
                   SUM(CASE WHEN action = 'extract.issue' AND decision = 'allow' THEN 1 ELSE 0 END),
                   COUNT(*)
            FROM audit_entries WHERE time >= ? AND time < ?
            GROUP BY COALESCE(user, '') ORDER BY 1
            """)
        try s.bind(1, since ?? Int64.min).bind(2, until ?? Int64.max)
        var out = [AuditUserSummary]()
        while try s.step() {
            out.append(AuditUserSummary(user: s.string(0), reads: s.int64(1), denied: s.int64(2), breakGlass: s.int64(3),
                                        extracts: s.int64(4), requests: s.int64(5)))
        }
        return out
    }

    public static func subtrees(on db: Connection) throws -> [[UInt8]] {
        let s = try db.statement("SELECT idx, hash FROM audit_subtrees ORDER BY idx")
        var out = [[UInt8]]()
        while try s.step() {
            guard s.int64(0) == Int64(out.count) else { break }  // a gap: use only the contiguous prefix
            out.append(s.blob(1))
        }
        return out
    }

    public static func checkpoints(on db: Connection) throws -> [(size: UInt64, note: [UInt8])] {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints ORDER BY size, id")
        var out = [(size: UInt64, note: [UInt8])]()
        while try s.step() { out.append((UInt64(clamping: s.int64(0)), s.blob(1))) }
        return out
    }

    public static func latestCheckpoint(on db: Connection) throws -> (size: UInt64, note: [UInt8])? {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints ORDER BY size DESC, id DESC LIMIT 1")
        return try s.step() ? (UInt64(clamping: s.int64(0)), s.blob(1)) : nil
    }

    /// The earliest checkpoint whose tree contains entry `seq`.
    public static func checkpoint(covering seq: UInt64, on db: Connection) throws -> (size: UInt64, note: [UInt8])? {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints WHERE size > ? ORDER BY size, id DESC LIMIT 1")
        try s.bind(1, Int64(clamping: seq))
        return try s.step() ? (UInt64(clamping: s.int64(0)), s.blob(1)) : nil
    }
}

/// One user's line in `haven audit summary`.
public struct AuditUserSummary: Sendable {
    public let user: String
    public let reads: Int64
    public let denied: Int64
    public let breakGlass: Int64
    public let extracts: Int64
    public let requests: Int64
}
