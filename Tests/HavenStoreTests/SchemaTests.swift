import Foundation
import HavenCore
@testable import HavenStore
import HavenTestSupport
import Testing

/// Schema versions and the queries that must stay indexed as a vault grows.
@Suite struct SchemaTests {
    /// The test's database file, in a directory removed after the test with its -wal and -shm.
    let directory = TemporaryDirectory("haven-schema")
    var path: String { directory.file("haven.db") }

    func plan(_ sql: String, on db: Connection) throws -> String {
        let s = try db.statement("EXPLAIN QUERY PLAN " + sql)
        var lines = [String]()
        while try s.step() { lines.append(s.string(3)) }
        return lines.joined(separator: "; ")
    }

    /// Replacing a record's assignees looks them up by record through an index: without it,
    /// every create and assignment scanned all assignments in the vault.
    @Test func assigneesOfARecordAreFoundThroughAnIndex() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        let p = try plan("DELETE FROM record_assignees WHERE record_id = 'x'", on: db)
        #expect(p.contains("USING") && p.contains("INDEX record_assignees_by_record"), "\(p)")
    }

    /// A page of `record list` by last change is a range of an index, in the vault and in an
    /// agency, both for the first page and after a cursor: never a sort of every record. An
    /// agency's own records are read in order from the index and merged with the records
    /// referred to it, the only ones sorted (found through the referrals index).
    @Test func recordListPagesByLastChangeThroughAnIndex() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        let cursor = RecordCursor(updatedAt: Timestamp(millisecondsSinceEpoch: 1), id: RecordID(bytes: [UInt8](repeating: 0, count: 16)))
        for scope in [RecordScope.all, .agency(try AgencyName("ossc-vientiane"))] {
            for order in [RecordOrder.newest, .oldest] {
                for start in [RecordCursor?.none, cursor] {
                    db.resetStatements()
                    let p = try plan(RecordTable.listSQL(scope: scope, order: order, start: .afterCursor(start)), on: db)
                    guard case .agency = scope else {
                        #expect(p.contains("USING") && p.contains("INDEX records_by") && !p.contains("TEMP B-TREE"), "\(scope) \(order): \(p)")
                        continue
                    }
                    let own = p.components(separatedBy: "RIGHT")[0]
                    let referred = p.components(separatedBy: "RIGHT").dropFirst().joined()
                    #expect(p.contains("MERGE (UNION ALL)") && own.contains("INDEX records_by_agency_change") && !own.contains("TEMP B-TREE"),
                            "\(scope) \(order): \(p)")
                    #expect(referred.contains("INDEX referrals_to") && !referred.contains("SCAN"), "\(scope) \(order): \(p)")
                }
            }
        }
    }

    /// A user's page, with the referred records it may list named, reads the user's
    /// assignments through their index and the named referred records by key (only they
    /// are sorted): never a scan of the records (the named ids are one JSON array, whatever their number).
    @Test func aUsersPageWithItsReferredRecordsNamedUsesTheIndexes() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        let scope = RecordScope.assignedTo(try UserName("phet"), agency: try AgencyName("lwu-shelter-vientiane"))
        let id = RecordID(bytes: [UInt8](repeating: 1, count: 16))
        for order in [RecordOrder.newest, .oldest] {
            db.resetStatements()
            let p = try plan(RecordTable.listSQL(scope: scope, order: order, start: .afterCursor(nil), referred: [id]), on: db)
            let referred = p.components(separatedBy: "RIGHT").dropFirst().joined()
            #expect(p.contains("INDEX record_assignees") && !p.contains("SCAN r"), "\(order): \(p)")
            #expect(referred.contains("SEARCH r USING INDEX sqlite_autoindex_records_1 (id=?)") && referred.contains("INDEX referrals_to"),
                    "\(order): \(p)")
            #expect(!RecordTable.listSQL(scope: scope, order: order, start: .afterCursor(nil), referred: []).contains("referrals"))
        }
    }

    /// An agency's referrals, either way and with or without a status, are a range of an
    /// index; a referral's record and a record's referral steps are found by key.
    @Test func referralListsAndStepsUseTheirIndexes() throws {
        let db = try Database.open(path: path, create: true)
        try Database.migrate(db)
        for (column, index) in [("to_agency", "referrals_to"), ("from_agency", "referrals_from")] {
            let p = try plan("SELECT id FROM referrals WHERE \(column) = 'a' AND ('x' IS NULL OR status = 'x') "
                             + "ORDER BY updated_at DESC, id LIMIT 5", on: db)
            #expect(p.contains("INDEX \(index)"), "\(p)")
        }
        #expect(try plan("SELECT record_id FROM referrals WHERE id = 'r'", on: db).contains("PRIMARY KEY"))
        let events = try plan("SELECT idx, event FROM referral_events WHERE record_id = 'x' AND idx BETWEEN 1 AND 3 ORDER BY idx", on: db)
        #expect(events.contains("PRIMARY KEY") && !events.contains("TEMP B-TREE"), "\(events)")
    }

    /// A vault made at schema version 1 gains the index, the authenticated-state columns and
    /// the history tables when a newer havend opens it; each step's hook runs inside the same
    /// transaction.
    @Test func aVersionOneVaultIsMigrated() throws {
        let db = try Database.open(path: path, create: true)
        try db.execute(Schema.migrations[0] + "PRAGMA user_version = 1;")
        var steps = [Int64]()
        try Database.migrate(db) { steps.append($0) }
        #expect(steps == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        let version = try db.statement("PRAGMA user_version")
        _ = try version.step()
        #expect(version.int64(0) == 11)
        #expect(try plan("DELETE FROM record_assignees WHERE record_id = 'x'", on: db).contains("record_assignees_by_record"))
        db.resetStatements()
        try db.execute("SELECT state_key, state, mac FROM audit_entries; SELECT key, tag FROM state_baseline;")
        try db.execute("SELECT meta FROM notes; SELECT record_id, idx, event FROM consent_events;")
        try db.execute("SELECT field, value, record_id FROM search_index; SELECT field, kind, bits FROM search_fields;")
        #expect(try plan("SELECT record_id FROM search_index WHERE field = 'phone' AND value = 7", on: db).contains("PRIMARY KEY"))
        #expect(try plan("DELETE FROM search_index WHERE record_id = 'x'", on: db).contains("search_index_by_record"))
        // A statistics query reads its rows by key range, and counts records without reading
        // their rows: on the primary key's index and the partial index of erased records.
        #expect(try plan(StatisticsTable.scanSQL, on: db).contains("PRIMARY KEY"))
        let count = try plan(StatisticsTable.countSQL, on: db)
        #expect(count.contains("COVERING INDEX sqlite_autoindex_records_1"), "\(count)")
        let erased = try plan(StatisticsTable.countErasedSQL, on: db)
        #expect(erased.contains("records_erased"), "\(erased)")
        // A year's release by key; the publications' entries through their partial index,
        // never a scan of the log.
        #expect(try plan("SELECT published_at, sealed FROM statistics_releases WHERE year = 2025", on: db).contains("INTEGER PRIMARY KEY"))
        let publications = try plan(StatisticsReleaseTable.publicationsSQL, on: db)
        #expect(publications.contains("audit_publications") && !publications.contains("TEMP B-TREE"), "\(publications)")
    }

    /// A step whose data cannot be upgraded leaves the file at its old version, unchanged.
    @Test func aFailedUpgradeStepLeavesTheOldVersion() throws {
        let db = try Database.open(path: path, create: true)
        try db.execute(Schema.migrations[0] + Schema.migrations[1] + "PRAGMA user_version = 2;")
        struct Refused: Error {}
        #expect(throws: Refused.self) { try Database.migrate(db) { _ in throw Refused() } }
        #expect(try Database.schemaVersion(db) == 2)
        #expect(throws: (any Error).self) { try db.execute("SELECT mac FROM audit_entries") }
    }

    /// The upgrade to version 9 leaves a version 8 log as it is and keeps each entry about a
    /// record findable: every one goes to `audit_earlier_by_record`, copied from the index it
    /// replaces; new entries link (or, about an id no record has, go to the partial index).
    @Test func theUpgradeToVersion9KeepsEarlierEntriesFindableByRecord() throws {
        let db = try Database.open(path: path, create: true)
        for step in Schema.migrations.prefix(8) { try db.execute(step) }
        try db.execute("PRAGMA user_version = 8")
        let log: [String?] = ["b", "a", nil, "c", "a", "b", nil, "a"]
        for (seq, record) in log.enumerated() {
            try db.statement("""
                INSERT INTO audit_entries (seq, entry, leaf_hash, time, action, user, record, decision, break_glass)
                VALUES (?, x'7b7d', x'00', 0, 'record.read', 'u', ?, 'allow', 0)
                """).bind(1, Int64(seq)).bind(2, record).run()
        }
        db.resetStatements()
        try Database.migrate(db)
        let links = try db.statement("SELECT COUNT(*) FROM audit_entries WHERE record_prev IS NOT NULL")
        _ = try links.step()
        #expect(links.int64(0) == 0)
        let s = try db.statement("SELECT record, seq FROM audit_earlier_by_record")
        var earlier = [String]()
        while try s.step() { earlier.append("\(s.string(0))\(s.int64(1))") }
        #expect(earlier == ["a1", "a4", "a7", "b0", "b5", "c3"])
        #expect(try plan("SELECT seq FROM audit_entries WHERE record = 'c' AND record_prev = -2 ORDER BY seq", on: db)
                    .contains("audit_unchained_by_record"))
        #expect(try !plan("SELECT seq FROM audit_entries WHERE record = 'c'", on: db).contains("audit_by_record"))
    }
}
