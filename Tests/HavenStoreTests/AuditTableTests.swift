import Foundation
import HavenCore
import HavenStore
import HavenTestSupport
import Testing

/// The audit tables on a real SQLite file: append and read back in order, filters, and
/// checkpoints that are added, never replaced.
@Suite struct AuditTableTests {
    /// The test's database file, in a directory removed after the test with its -wal and -shm.
    let directory = TemporaryDirectory("haven-store")
    var path: String { directory.file("haven.db") }

    func open() throws -> Connection {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        return db
    }

    func entry(_ n: Int) -> [UInt8] { Array(#"{"seq":\#(n)}"#.utf8) }

    func append(_ db: Connection, _ n: Int, user: String = "counsellor", decision: String = "allow") throws {
        try AuditTable.append(seq: UInt64(n), entry: entry(n), leafHash: [UInt8](repeating: UInt8(n % 256), count: 32),
                              index: AuditIndex(time: Int64(1_000 + n), action: "record.read", user: user, record: "r\(n % 3)",
                                                decision: decision, breakGlass: false),
                              on: db)
    }

    @Test func entriesComeBackInOrderAndCountIsOnePastTheLast() throws {
        let db = try open()
        #expect(try AuditTable.count(on: db) == 0)
        for n in 0..<10 { try append(db, n) }
        #expect(try AuditTable.count(on: db) == 10)
        var seen = [UInt64]()
        try AuditTable.forEachEntry(in: 3..<7, on: db) { seq, entry, leaf in
            seen.append(seq)
            #expect(Array(entry) == self.entry(Int(seq)))
            #expect(leaf.count == 32)
        }
        #expect(seen == [3, 4, 5, 6])
        #expect(try AuditTable.entry(seq: 9, on: db) == entry(9))
        #expect(try AuditTable.entry(seq: 10, on: db) == nil)
    }

    @Test func aSequenceNumberIsWrittenOnce() throws {
        let db = try open()
        try append(db, 0)
        #expect(throws: (any Error).self) { try append(db, 0) }
    }

    @Test func rangesBeyondSQLiteIntegersDoNotTrap() throws {
        let db = try open()
        for n in 0..<3 { try append(db, n) }
        var count = 0
        try AuditTable.forEachEntry(in: 1..<UInt64.max, on: db) { _, _, _ in count += 1 }
        #expect(count == 2)
        #expect(try AuditTable.entry(seq: UInt64.max, on: db) == nil)
        #expect(try AuditTable.checkpoint(covering: UInt64.max, on: db) == nil)
    }

    @Test func searchFiltersByUserAndDecision() throws {
        let db = try open()
        for n in 0..<6 { try append(db, n, user: n.isMultiple(of: 2) ? "counsellor" : "police", decision: n == 5 ? "deny" : "allow") }
        var filter = AuditFilter()
        filter.user = "police"
        #expect(try AuditTable.search(filter, cursor: nil, limit: 10, on: db).rows.map(\.seq) == [1, 3, 5])
        let page = try AuditTable.search(filter, cursor: 1, limit: 1, on: db)
        #expect(page.rows.map(\.seq) == [3] && page.remaining == 1)
        filter.deniedOnly = true
        #expect(try AuditTable.search(filter, cursor: nil, limit: 10, on: db).rows.map(\.seq) == [5])
    }

    /// Newest first pages backwards with `before`; `remaining` counts what lies beyond.
    @Test func searchNewestFirstPagesBackAndCounts() throws {
        let db = try open()
        for n in 0..<7 { try append(db, n, user: "counsellor", decision: "allow") }
        let first = try AuditTable.search(AuditFilter(), newestFirst: true, cursor: nil, limit: 3, on: db)
        #expect(first.rows.map(\.seq) == [6, 5, 4] && first.remaining == 4)
        let second = try AuditTable.search(AuditFilter(), newestFirst: true, cursor: 4, limit: 3, on: db)
        #expect(second.rows.map(\.seq) == [3, 2, 1] && second.remaining == 1)
        let last = try AuditTable.search(AuditFilter(), newestFirst: true, cursor: 1, limit: 3, on: db)
        #expect(last.rows.map(\.seq) == [0] && last.remaining == 0)
        // The count stops at its limit.
        #expect(try AuditTable.search(AuditFilter(), newestFirst: true, cursor: nil, limit: 1, countLimit: 2, on: db).remaining == 2)
    }

    /// Two checkpoints of the same size both stay: a later one cannot hide an earlier one
    /// that no longer matches the log.
    @Test func checkpointsAreAddedNeverReplaced() throws {
        let db = try open()
        try AuditTable.putCheckpoint(size: 4, note: Array("first".utf8), on: db)
        try AuditTable.putCheckpoint(size: 4, note: Array("second".utf8), on: db)
        try AuditTable.putCheckpoint(size: 9, note: Array("third".utf8), on: db)
        #expect(try AuditTable.checkpoints(on: db).map { String(decoding: $0.note, as: UTF8.self) } == ["first", "second", "third"])
        #expect(try AuditTable.latestCheckpoint(on: db).map { String(decoding: $0.note, as: UTF8.self) } == "third")
        #expect(try AuditTable.checkpoint(covering: 3, on: db)?.size == 4)
        #expect(try AuditTable.checkpoint(covering: 4, on: db)?.size == 9)
        #expect(try AuditTable.checkpoint(covering: 9, on: db) == nil)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let db = try open()
        try db.execute("PRAGMA user_version = 999")
        #expect(throws: (any Error).self) { try Database.migrate(db) }
    }
}
