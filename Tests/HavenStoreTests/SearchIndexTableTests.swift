import HavenCore
@testable import HavenStore
import HavenTestSupport
import Testing

/// The candidate lookup of the blind indexes: a key names only records of its own agency,
/// candidates come the most recently changed first with their total, groups intersect and
/// lookups unite, and the statement reaches the rows through the primary key.
@Suite struct SearchIndexTableTests {
    let directory = TemporaryDirectory("haven-search-index")

    /// A vault file with `records` (agency, updated_at) and each one's phone row of `value`.
    func database(_ records: [(agency: String, updated: Int64, phone: UInt32, name: UInt32)]) throws -> (Connection, [RecordID]) {
        let db = try Database.open(path: directory.file("haven.db"), create: true)
        try Database.migrate(db)
        var ids = [RecordID]()
        for (n, r) in records.enumerated() {
            let id = RecordID(bytes: [UInt8](repeating: UInt8(n + 1), count: 16))
            try RecordTable.insert(StoredRecord(id: id, type: "gbv_incident", agency: r.agency, status: "active", version: 1,
                                                createdAt: Timestamp(millisecondsSinceEpoch: r.updated),
                                                updatedAt: Timestamp(millisecondsSinceEpoch: r.updated), dataKeyVersion: 1,
                                                wrappedKey: [1], sealedHeader: [1]), on: db)
            try SearchIndexTable.insert(id, [SearchIndexEntry(field: "phone", value: r.phone),
                                             SearchIndexEntry(field: "survivor_name", value: r.name)], on: db)
            ids.append(id)
        }
        return (db, ids)
    }

    @Test func aKeyNamesOnlyRecordsOfItsAgencyTheLatestFirstWithTheirTotal() throws {
        let (db, ids) = try database([("ossc-vientiane", 10, 7, 1), ("lwu-shelter", 30, 7, 2), ("ossc-vientiane", 20, 7, 3),
                                      ("ossc-vientiane", 40, 8, 4), ("police-vientiane", 50, 9, 5)])
        #expect(try SearchIndexTable.recordAgencies(on: db) == ["lwu-shelter", "ossc-vientiane", "police-vientiane"])
        // Value 7 is ossc-vientiane's value of the phone; at the shelter the same phone has 9.
        let phone = SearchIndexLookup(groups: [[SearchIndexKey(agency: "ossc-vientiane", field: "phone", value: 7),
                                                SearchIndexKey(agency: "lwu-shelter", field: "phone", value: 9)]])
        let all = try SearchIndexTable.candidates([phone], limit: 10, on: db)
        #expect(all.ids == [ids[2], ids[0]] && all.total == 2, "\(all)")
        let first = try SearchIndexTable.candidates([phone], limit: 1, on: db)
        #expect(first.ids == [ids[2]] && first.total == 2)
        // Groups intersect (phone and name); lookups unite.
        let both = SearchIndexLookup(groups: phone.groups + [[SearchIndexKey(agency: "ossc-vientiane", field: "survivor_name", value: 1)]])
        #expect(try SearchIndexTable.candidates([both], limit: 10, on: db).ids == [ids[0]])
        let other = SearchIndexLookup(groups: [[SearchIndexKey(agency: "police-vientiane", field: "phone", value: 9)]])
        #expect(try SearchIndexTable.candidates([both, other], limit: 10, on: db).ids == [ids[4], ids[0]])
        // A value searched in no field names nothing.
        #expect(try SearchIndexTable.candidates([SearchIndexLookup(groups: [[]])], limit: 10, on: db).total == 0)
    }

    @Test func aBoundedLookupWalksNoMoreThanItsBoundInIndexOrder() throws {
        // Six records share a phone; a bound of four walks the four first in the index's
        // order (record id), and lists them the latest first; the total counts only those.
        let (db, ids) = try database((0..<6).map { ("ossc-vientiane", Int64(10 * $0 + 10), 7, UInt32($0)) })
        let phone = SearchIndexLookup(groups: [[SearchIndexKey(agency: "ossc-vientiane", field: "phone", value: 7)]])
        let walked = Array(ids.sorted { $0.rawValue < $1.rawValue }.prefix(4))
        let latestFirst = walked.sorted { ids.firstIndex(of: $0)! > ids.firstIndex(of: $1)! }
        let bounded = try SearchIndexTable.candidates([phone], limit: 10, perLookup: 4, on: db)
        #expect(bounded.ids == latestFirst && bounded.total == 4, "\(bounded)")
        // Each lookup has its own bound; what two lookups name is counted once.
        let name = SearchIndexLookup(groups: [[SearchIndexKey(agency: "ossc-vientiane", field: "survivor_name", value: 5)]])
        let two = try SearchIndexTable.candidates([phone, name], limit: 10, perLookup: 4, on: db)
        #expect(two.total == (walked.contains(ids[5]) ? 4 : 5), "\(two)")
        #expect(try SearchIndexTable.candidates([phone], limit: 10, on: db).total == 6)
    }

    @Test func theLookupReachesTheRowsThroughThePrimaryKey() throws {
        let (db, _) = try database([])
        let lookup = SearchIndexLookup(groups: [["ossc-vientiane", "lwu-shelter"].map { SearchIndexKey(agency: $0, field: "phone", value: 7) },
                                                [SearchIndexKey(agency: "ossc-vientiane", field: "date_of_birth", value: 3)]])
        for perLookup in [nil, 100] {
            let (sql, _) = try #require(SearchIndexTable.candidatesSQL([lookup], perLookup: perLookup))
            let s = try db.statement("EXPLAIN QUERY PLAN " + sql)
            var plan = [String]()
            while try s.step() { plan.append(s.string(3)) }
            let searches = plan.filter { $0.contains("search_index") || $0.hasPrefix("SEARCH s") || $0.hasPrefix("SCAN s") }
            #expect(searches.count == 2 && searches.allSatisfy { $0.contains("USING PRIMARY KEY (field=? AND value=?)") }, "\(plan)")
        }
    }
}
