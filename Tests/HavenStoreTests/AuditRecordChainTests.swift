import Foundation
import HavenCore
import HavenStore
import HavenTestSupport
import Testing

/// Entries found by record through their chain (`record_prev`) and the index of unchained
/// entries, checked against the plain query an index by record would answer, page by page;
/// and a chain edited outside Haven is refused rather than followed.
@Suite struct AuditRecordChainTests {
    /// The test's database file, in a directory removed after the test with its -wal and -shm.
    let directory = TemporaryDirectory("haven-chain")
    var path: String { directory.file("haven.db") }

    /// A log of `count` entries about five records, three ids that are no record, and none:
    /// the first quarter written before links (kept in `audit_earlier_by_record`, as the
    /// upgrade to version 9 leaves them), then each record chained from a point on (as the
    /// daemon chains a record from its first state) and unchained before it. Returns each
    /// chained record's latest entry.
    func makeLog(_ db: Connection, count: Int) throws -> [String: UInt64] {
        let records = (0..<5).map { "r\($0)" }, probes = (0..<3).map { "x\($0)" }
        let linksFrom = count / 4
        let chainedFrom = Dictionary(uniqueKeysWithValues: records.map { ($0, Int.random(in: linksFrom..<(count / 2))) })
        var latest = [String: UInt64]()
        for n in 0..<count {
            let seq = UInt64(n)
            let record = [records.randomElement(), probes.randomElement(), nil].randomElement()!
            var link: AuditRecordLink?
            if let record, n >= linksFrom {
                if let from = chainedFrom[record], n >= from {
                    link = latest[record].map { .after($0) } ?? .first
                    latest[record] = seq
                } else {
                    link = .unchained
                }
            }
            let user = ["counsellor", "police", "auditor"].randomElement()!
            try AuditTable.append(seq: seq, entry: Array(#"{"seq":\#(n)}"#.utf8), leafHash: [UInt8](repeating: 0, count: 32),
                                  index: AuditIndex(time: 1_000 + Int64(n) * 10, action: Bool.random() ? "record.read" : "auth.session",
                                                    user: user, record: record, decision: Int.random(in: 0..<4) == 0 ? "deny" : "allow",
                                                    breakGlass: Int.random(in: 0..<9) == 0),
                                  link: link, on: db)
            if let record, n < linksFrom {
                try db.statement("INSERT INTO audit_earlier_by_record (record, seq) VALUES (?, ?)").bind(1, record).bind(2, Int64(n)).run()
            }
        }
        // As the upgrade left them: no link at all (an entry appended today always has one).
        try db.statement("UPDATE audit_entries SET record_prev = NULL WHERE seq < ?").bind(1, Int64(linksFrom)).run()
        return latest
    }

    /// What an index by record finds: every matching entry about the record, by seq.
    func expected(_ db: Connection, _ filter: AuditFilter, below end: UInt64) throws -> [UInt64] {
        var all = [UInt64]()
        var unfiltered = filter
        unfiltered.record = nil
        // The generic search, without the record, then the record's entries of it.
        var cursor: UInt64?
        while true {
            let page = try AuditTable.search(unfiltered, cursor: cursor, limit: 5000, on: db)
            for row in page.rows where row.seq < end {
                let s = try db.statement("SELECT record FROM audit_entries WHERE seq = ?")
                try s.bind(1, Int64(row.seq))
                if try s.step(), s.optionalString(0) == filter.record { all.append(row.seq) }
            }
            guard page.remaining > 0, let last = page.rows.last else { break }
            cursor = last.seq
        }
        return all
    }

    func filters(record: String) -> [AuditFilter] {
        var plain = AuditFilter()
        plain.record = record
        var byUser = plain
        byUser.user = "police"
        var denied = plain
        denied.deniedOnly = true
        var window = plain
        window.since = 1_500
        window.until = 3_500
        var combined = window
        combined.withoutSessions = true
        combined.breakGlassOnly = Bool.random()
        return [plain, byUser, denied, window, combined]
    }

    @Test func aRecordsEntriesArePagedExactlyAsAnIndexByRecordFindsThem() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        let count = 600
        let latest = try makeLog(db, count: count)
        for record in ["r0", "r1", "r2", "r3", "r4", "x0", "x1", "x2", "nothing"] {
            // Also as if the last entries had been committed after the chain was read.
            for end in [UInt64(count), UInt64(count - 37)] {
                var head = latest[record]
                while let h = head, h >= end {  // the latest chained entry before `end`
                    let s = try db.statement("SELECT record_prev FROM audit_entries WHERE seq = ?")
                    try s.bind(1, Int64(h))
                    _ = try s.step()
                    let previous = s.int64(0)
                    head = previous < 0 ? nil : UInt64(previous)
                }
                let chain = AuditRecordChain(latest: head, logSize: end)
                for filter in filters(record: record) {
                    let all = try expected(db, filter, below: end)
                    for newestFirst in [false, true] {
                        let order = newestFirst ? Array(all.reversed()) : all
                        for (limit, countLimit) in [(1, Int64(10_000)), (7, 3), (1000, 10_000)] {
                            var seen = [UInt64]()
                            var cursor: UInt64?
                            while true {
                                let page = try AuditTable.search(filter, chain: chain, newestFirst: newestFirst, cursor: cursor,
                                                                 limit: limit, countLimit: countLimit, on: db)
                                let at = seen.count
                                #expect(page.rows.map(\.seq) == Array(order[at..<min(at + limit, order.count)]),
                                        "\(record) \(filter) newest first \(newestFirst) limit \(limit) after \(seen.count)")
                                #expect(page.rows.allSatisfy { $0.entry == Array(#"{"seq":\#($0.seq)}"#.utf8) })
                                seen += page.rows.map(\.seq)
                                let beyond = order.count - seen.count
                                #expect(page.remaining == (page.rows.count == limit ? min(Int64(beyond), countLimit) : 0))
                                guard page.remaining > 0, let last = page.rows.last else { break }
                                cursor = last.seq
                            }
                            #expect(seen == order, "\(record) \(filter) newest first \(newestFirst) limit \(limit)")
                        }
                    }
                }
            }
        }
    }

    /// A search finds the entries outside the chain through their indexes, not a scan of the log.
    @Test func entriesOutsideTheChainAreFoundThroughIndexes() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        _ = try makeLog(db, count: 200)
        func plan(_ sql: String) throws -> [String] {
            let s = try db.statement("EXPLAIN QUERY PLAN " + sql)
            var steps = [String]()
            while try s.step() { steps.append(s.string(3)) }
            return steps
        }
        let unchained = try plan("""
            SELECT seq FROM audit_entries WHERE record = ? AND record_prev = -2 AND seq < ? AND seq < ? AND user = ? ORDER BY seq DESC LIMIT ?
            """)
        #expect(unchained.contains { $0.contains("audit_unchained_by_record") } && !unchained.contains { $0.contains("TEMP B-TREE") },
                "\(unchained)")
        let earlier = try plan("""
            SELECT e.seq FROM audit_earlier_by_record r JOIN audit_entries e ON e.seq = r.seq
            WHERE r.record = ? AND r.seq > ? AND r.seq < ? AND user = ? ORDER BY r.seq ASC LIMIT ?
            """)
        // The earlier table (alias r) drives, by its key; each entry is then found by seq.
        #expect(earlier.first?.contains("SEARCH r USING PRIMARY KEY") == true && !earlier.contains { $0.contains("TEMP B-TREE") },
                "\(earlier)")
    }

    /// A link edited to skip, to point at another record's entry, forward, or at a deleted
    /// row: the search stops with `AuditChainBroken` instead of showing the wrong entries.
    @Test(arguments: ["another record", "forward", "deleted"])
    func anEditedChainIsRefused(edit: String) throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        func append(_ seq: UInt64, _ record: String, _ link: AuditRecordLink) throws {
            try AuditTable.append(seq: seq, entry: Array("{}".utf8), leafHash: [UInt8](repeating: 0, count: 32),
                                  index: AuditIndex(time: 0, action: "record.read", user: "u", record: record, decision: "allow",
                                                    breakGlass: false), link: link, on: db)
        }
        try append(0, "a", .first)
        try append(1, "b", .first)
        try append(2, "a", .after(0))
        try append(3, "a", .after(2))
        switch edit {
        case "another record": try db.execute("UPDATE audit_entries SET record_prev = 1 WHERE seq = 3")
        case "forward": try db.execute("UPDATE audit_entries SET record_prev = 3 WHERE seq = 2")
        default: try db.execute("DELETE FROM audit_entries WHERE seq = 2")
        }
        var filter = AuditFilter()
        filter.record = "a"
        #expect(throws: AuditChainBroken.self) {
            _ = try AuditTable.search(filter, chain: AuditRecordChain(latest: 3, logSize: 4), newestFirst: true, cursor: nil, limit: 10,
                                      on: db)
        }
    }

    /// An entry about a record appended without a link (by any caller) is stored outside the
    /// chains (-2), where a search finds it, never with no link at all.
    @Test func anEntryAppendedWithoutALinkIsStillFoundByRecord() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        try AuditTable.append(seq: 0, entry: Array("{}".utf8), leafHash: [UInt8](repeating: 0, count: 32),
                              index: AuditIndex(time: 0, action: "record.read", user: "u", record: "r", decision: "allow", breakGlass: false),
                              on: db)
        let s = try db.statement("SELECT record_prev FROM audit_entries WHERE seq = 0")
        _ = try s.step()
        #expect(s.optionalInt64(0) == AuditRecordLink.unchained.column)
        var filter = AuditFilter()
        filter.record = "r"
        let found = try AuditTable.search(filter, chain: AuditRecordChain(latest: nil, logSize: 1), cursor: nil, limit: 10, on: db)
        #expect(found.rows.map(\.seq) == [0])
    }

}
