import HavenCore
import HavenStore

/// Every record not erased, a page of 1,000 at a time in id order, for the rebuild of
/// derived rows the daemon runs at start inside its own transaction.
enum EveryLiveRecord {
    static func visit(on db: Connection, _ body: (StoredRecord) throws -> Void) throws {
        var after: RecordID?
        while true {
            let page = try RecordTable.list(scope: .all, after: after, limit: 1000, on: db)
            for row in page where row.status != RecordTombstone.status { try body(row) }
            guard page.count == 1000 else { break }
            after = page.last?.id
        }
    }
}
