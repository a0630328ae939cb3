import HavenAudit
import HavenCore
import HavenPolicy
import HavenStore
import Logging

/// Brings a vault made by an earlier release to this release's schema, once, at start: each
/// step's SQL and the data only the vault's keys can compute, in one transaction
/// (`Database.migrate`), so a crash leaves the old version or the new one. Each format has
/// a committed fixture vault (Tests/Fixtures/vault-vN/) that must keep upgrading.
enum VaultUpgrade {
    /// Runs every step due; returns the audit entries of the steps whose changes need no key
    /// (schema 4 on), which the daemon writes as it starts. A step that computes with the
    /// keys (schema 3) writes its own entry inside the migration's transaction.
    static func run(_ db: Connection, directory: DataDirectory, keys: VaultKeys, meta: VaultMeta, policy: Policy,
                    cadence: CheckpointCadence, now: Timestamp, logger: Logger) throws -> [AuditEvent] {
        let version = try Database.schemaVersion(db)
        guard version < Database.currentSchemaVersion else {
            try Database.migrate(db)  // refuses a newer schema
            return []
        }
        let legacy = version < 3
            ? try SchemaUpgrade3.checkLegacyLog(databasePath: directory.databasePath, keys: keys, cadence: cadence) : nil
        do {
            try Database.migrate(db) { v in
                if v == 3, let legacy { try SchemaUpgrade3(db: db, keys: keys, meta: meta, now: now).run(legacy: legacy) }
                if v == 11 { try SchemaUpgrade11(db: db, keys: keys, policy: policy).run() }
            }
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.storeUnavailable, "cannot upgrade the database \(directory.databasePath): \(error)")
        }
        logger.notice("vault upgraded", metadata: ["from_schema": "\(version)", "to_schema": "\(Database.currentSchemaVersion)"])
        return SchemaUpgradeEvents.after(version)
    }
}
