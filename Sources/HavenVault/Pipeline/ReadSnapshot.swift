import HavenCore
import HavenStore

/// Where a request opens a record: a reader's snapshot, which may trail the writer, or the
/// writer's own transaction; the state ledger is consulted accordingly.
struct StoreView {
    let db: Connection
    let freshness: StateLedger.View

    static func writer(_ db: Connection) -> StoreView { StoreView(db: db, freshness: .writer) }
}

extension RequestPipeline {
    /// A record changed twice while a snapshot read it, five times running.
    static let snapshotRaced = HavenError(.conflict, "the record changed while it was being read; try again")

    /// Runs `body` in one read snapshot; storage failures become `store_unavailable`. A
    /// snapshot that read a record just as a commit changed it reads again (`StateLedger`).
    /// `scan`: a read of a whole table, on a connection of its own (`ReaderPool.withScanSnapshot`).
    func readSnapshot<R>(scan: Bool = false, _ body: (StoreView) throws(HavenError) -> R) throws(HavenError) -> R {
        var attempt = 0
        while true {
            attempt += 1
            let since = ledger.generation
            var outcome: Result<R, HavenError>?
            do {
                let read = { (db: Connection) in
                    outcome = Result { () throws(HavenError) -> R in try body(StoreView(db: db, freshness: .reader(since: since))) }
                }
                if scan { try readers.withScanSnapshot(read) } else { try readers.withSnapshot(read) }
            } catch {
                logger.error("read snapshot failed", metadata: ["error": "\(error)"])
                throw HavenError.storeUnavailable
            }
            guard let outcome else { throw HavenError.storeUnavailable }
            if case .failure(let e) = outcome, e == Self.snapshotRaced, attempt < 5 { continue }
            return try outcome.get()
        }
    }
}
