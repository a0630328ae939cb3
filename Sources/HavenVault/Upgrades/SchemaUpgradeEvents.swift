import HavenAudit

/// The audit entries of the upgrade steps whose changes need no key (schema 4 on), one row
/// per step, written as the daemon starts after an upgrade. Each entry's bytes are part of
/// the log of every vault upgraded so: a row's words are never changed, only rows added.
enum SchemaUpgradeEvents {
    /// One step: the version it brings the schema to, and what it changes.
    struct Step {
        let to: Int64
        let what: String
    }

    static let steps: [Step] = [
        // Schema 4 adds the history tables; each record's history moves into them at its next
        // change (`HistoryRows.moveInline`), so the step itself touches no record.
        Step(to: 4, what: "notes and consent events get sealed rows of their own, each record's at its next change"),
        // Schema 5 adds indexes of records by last change, for `record list`; no row changes.
        Step(to: 5, what: "records are indexed by last change, which record list pages through"),
        // Schema 6 adds the search index, empty: `DerivedRowsRebuild` fills it as the daemon
        // starts (with its own `vault.reindex` entry), as after every change of its fields.
        Step(to: 6, what: "searchable fields get blind indexes, built as the daemon starts"),
        // Schema 7 adds each record's sealed statistics, empty: `DerivedRowsRebuild` fills
        // them as the daemon starts (with its own `vault.statistics` entry).
        Step(to: 7, what: "each record's contribution to statistics is sealed beside it, built as the daemon starts"),
        // Schema 8 adds referrals between agencies, empty: a record has none until one is made,
        // and its header keeps format 2 until then.
        Step(to: 8, what: "referrals between agencies, kept in each record's sealed header and history"),
        // Schema 9 finds a record's new audit entries through links from each to the previous
        // one about the same record; the entries before keep an index of their own, copied from
        // the index by record, which goes.
        Step(to: 9, what: "a record's new audit entries are found through links from each to the one before"),
        // Schema 10 adds each year's statistics release, empty: a year's is made by its first
        // query once it has ended.
        Step(to: 10, what: "each year's statistics are published once, sealed and stored, and answered from unchanged"),
        // Schema 11 adds case numbers: every record made before gets its agency's, in the
        // migration's transaction (`SchemaUpgrade11`), each row tagged under the row key.
        Step(to: 11, what: "each record gets a case number of its agency, the records made before in the order they were made"),
    ]

    /// The entries of every step after `version`, in order.
    static func after(_ version: Int64) -> [AuditEvent] {
        steps.filter { $0.to > version }.map(\.event)
    }
}

extension SchemaUpgradeEvents.Step {
    /// The step's `vault.migrate` entry.
    var event: AuditEvent {
        AuditEvent(action: "vault.migrate", decision: .allow, rule: "schema \(to - 1) upgraded to \(to): \(what)",
                   detail: ["from_schema": String(to - 1), "to_schema": String(to)])
    }
}
