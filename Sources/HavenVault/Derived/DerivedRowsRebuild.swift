import HavenAudit
import HavenCore
import HavenStore
import Logging

/// Brings every kind of derived row to the policy at start, before the writer runs: the
/// kinds whose fingerprint differs from what the policy names are emptied and made again
/// from the records' sealed values in one walk of the records and one transaction, so each
/// record's data key is unwrapped and its fields read once however many kinds need them.
/// The log check at start has already vouched for every record row (its wrapped key and
/// header), so its tag is the one a statistics row is bound to.
///
/// A record that does not open (`integrity_error`) is left without rows of the kind that
/// could not open it, logged and named in that kind's audit entry: a search never finds
/// it, a statistics query reports it as not counted, and a read of it reports the damage.
/// Any other failure ends the rebuild, and the start.
struct DerivedRowsRebuild {
    let db: Connection
    let keys: VaultKeys
    let logger: Logger

    /// The search index and the statistics rows, each rebuilt if it needs it, then the
    /// assignment rows and the search index (unless just rebuilt) checked against the
    /// records' sealed values (`DerivedRowsCheck`): the audit entry of each rebuild
    /// (`vault.reindex`, `vault.statistics`), nil for a kind that was current or met no
    /// record, and of the repair (`vault.repair`), nil when no row differed.
    func run(search: SearchIndexer,
             statistics: RecordStatisticsDeriver) throws -> (search: AuditEvent?, statistics: AuditEvent?, repair: AuditEvent?) {
        let index = DerivedSearchIndex(indexer: search)
        let searchWasCurrent = try index.staleness(on: db) == .current
        let events = try run([index, DerivedStatistics(deriver: statistics, keys: keys)])
        let repair = try DerivedRowsCheck(db: db, keys: keys, indexer: search, logger: logger, search: searchWasCurrent).run()
        return (events[0], events[1], repair)
    }

    /// Each kind's audit entry, in the order of `kinds`.
    func run(_ kinds: [any DerivedRows]) throws -> [AuditEvent?] {
        var outcomes = try kinds.map { DerivedRowsOutcome(staleness: try $0.staleness(on: db)) }
        let stale = kinds.indices.filter { outcomes[$0].staleness != .current }
        guard !stale.isEmpty else { return kinds.map { _ in nil } }
        try db.transaction {
            for k in stale { try kinds[k].removeAll(on: db) }
            try EveryLiveRecord.visit(on: db) { row in
                let source: DerivationSource
                do {
                    source = try DerivationSource(row, keys: keys, on: db, logger: logger)
                } catch let error as HavenError where error.code == .integrityError {
                    for k in stale { outcomes[k].skipped.append(row.id.rawValue) }
                    return
                }
                for k in stale {
                    do {
                        try kinds[k].derive(source, on: db)
                        outcomes[k].records += 1
                    } catch let error as HavenError where error.code == .integrityError {
                        outcomes[k].skipped.append(row.id.rawValue)
                    }
                }
            }
            for k in stale { try kinds[k].markCurrent(on: db) }
        }
        db.resetStatements()
        // Each kind's lines together, as when each kind had a walk of its own.
        return kinds.indices.map { k in
            let outcome = outcomes[k]
            guard outcome.staleness != .current else { return nil }
            for id in outcome.skipped { logger.error(kinds[k].unopened, metadata: ["record": "\(id)"]) }
            // An empty vault (just made, or a policy changed before the first record) has
            // nothing rebuilt to account for.
            guard outcome.records > 0 || !outcome.skipped.isEmpty else { return nil }
            return kinds[k].rebuilt(outcome, logger: logger)
        }
    }
}
