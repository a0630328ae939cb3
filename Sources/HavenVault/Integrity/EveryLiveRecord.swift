import HavenCore
import HavenStore
import Logging

/// Every record not erased, a page of 1,000 at a time in id order, for the rebuilds the
/// daemon runs at start inside their own transaction (search index, statistics). A record
/// that does not open (`integrity_error`) is logged and skipped, and named in the result so
/// the rebuild's audit entry says which; any other failure ends the rebuild.
enum EveryLiveRecord {
    static func visit(on db: Connection, logger: Logger, unopened message: Logger.Message,
                      _ body: (StoredRecord) throws -> Void) throws -> (records: Int, skipped: [String]) {
        var records = 0
        var skipped = [String]()
        var after: RecordID?
        while true {
            let page = try RecordTable.list(scope: .all, after: after, limit: 1000, on: db)
            for row in page where row.status != RecordTombstone.status {
                do {
                    try body(row)
                    records += 1
                } catch let error as HavenError where error.code == .integrityError {
                    logger.error(message, metadata: ["record": "\(row.id)"])
                    skipped.append(row.id.rawValue)
                }
            }
            guard page.count == 1000 else { break }
            after = page.last?.id
        }
        return (records, skipped)
    }
}
