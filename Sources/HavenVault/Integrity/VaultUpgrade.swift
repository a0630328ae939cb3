import HavenAudit
import HavenCore
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
    static func run(_ db: Connection, directory: DataDirectory, keys: VaultKeys, meta: VaultMeta,
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
            }
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.storeUnavailable, "cannot upgrade the database \(directory.databasePath): \(error)")
        }
        logger.notice("vault upgraded", metadata: ["from_schema": "\(version)", "to_schema": "\(Database.currentSchemaVersion)"])
        return (version < 4 ? [schema4Event] : []) + (version < 5 ? [schema5Event] : []) + (version < 6 ? [schema6Event] : [])
            + (version < 7 ? [schema7Event] : []) + (version < 8 ? [schema8Event] : []) + (version < 9 ? [schema9Event] : [])
    }

    /// Schema 4 adds the history tables; each record's history moves into them at its next
    /// change (`HistoryRows.moveInline`), so the step itself touches no record.
    static let schema4Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 3 upgraded to 4: notes and consent events get sealed rows of their own, each record's at its next change",
        detail: ["from_schema": "3", "to_schema": "4"])

    /// Schema 5 adds indexes of records by last change, for `record list`; no row changes.
    static let schema5Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 4 upgraded to 5: records are indexed by last change, which record list pages through",
        detail: ["from_schema": "4", "to_schema": "5"])

    /// Schema 6 adds the search index, empty: `SearchIndexBuild` fills it as the daemon
    /// starts (with its own `vault.reindex` entry), as after every change of its fields.
    static let schema6Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 5 upgraded to 6: searchable fields get blind indexes, built as the daemon starts",
        detail: ["from_schema": "5", "to_schema": "6"])

    /// Schema 7 adds each record's sealed statistics, empty: `RecordStatisticsBuild` fills
    /// them as the daemon starts (with its own `vault.statistics` entry).
    static let schema7Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 6 upgraded to 7: each record's contribution to statistics is sealed beside it, built as the daemon starts",
        detail: ["from_schema": "6", "to_schema": "7"])

    /// Schema 8 adds referrals between agencies, empty: a record has none until one is made,
    /// and its header keeps format 2 until then.
    static let schema8Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 7 upgraded to 8: referrals between agencies, kept in each record's sealed header and history",
        detail: ["from_schema": "7", "to_schema": "8"])

    /// Schema 9 finds a record's new audit entries through links from each to the previous
    /// one about the same record; the entries before keep an index of their own, copied from
    /// the index by record, which goes.
    static let schema9Event = AuditEvent(
        action: "vault.migrate", decision: .allow,
        rule: "schema 8 upgraded to 9: a record's new audit entries are found through links from each to the one before",
        detail: ["from_schema": "8", "to_schema": "9"])
}
