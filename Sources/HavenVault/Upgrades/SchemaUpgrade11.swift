import HavenCore
import HavenPolicy
import HavenStore

/// The upgrade of a vault from schema 10 to 11, run inside the migration's transaction:
/// every record made before it gets its agency's case number, in creation order per agency
/// and year (as if it had been numbered when made), tagged under the row key, with each
/// agency's mark of each year. A record
/// accepted by another agency before the upgrade gets no number there: it gets one if a
/// referral to that agency is accepted again. The step's `vault.migrate` entry
/// (`SchemaUpgradeEvents`) is written as the daemon starts.
struct SchemaUpgrade11 {
    let db: Connection
    let keys: VaultKeys
    let policy: Policy

    func run() throws {
        var rows = [(RecordID, AgencyName, Timestamp)]()
        for r in try CaseNumberTable.recordsByCreation(on: db) {
            guard let id = try? RecordID(r.id), let agency = try? AgencyName(r.agency) else {
                throw HavenError(.integrityError, "refusing to upgrade the vault to schema 11: table records holds a row "
                                 + "with an invalid id or agency", hint: "restore the data directory from a backup")
            }
            rows.append((id, agency, Timestamp(millisecondsSinceEpoch: r.createdAt)))
        }
        for (id, agency, created) in rows {
            let row = try CaseNumbers.next(id, agency: agency, prefix: policy.agencies.casePrefix(for: agency), at: created, on: db)
            try CaseNumbers.store(row, keys: keys, on: db)
        }
    }
}
