import HavenCore

/// Schema versions and the steps between them: a new file runs every step of
/// `Schema.migrations`, a file made by an earlier release the steps it has not run yet
/// (HavenVault's `VaultUpgrade` adds the data only the vault's keys can compute, and the
/// steps' audit entries).
extension Database {
    /// Brings the schema to the current version: each step's SQL, then `upgrade(version)` for
    /// the data that step needs and that only the vault's keys can compute, all in one
    /// transaction, so a crash leaves the file at the old version or the new one.
    public static func migrate(_ connection: Connection, upgrade: (Int64) throws -> Void = { _ in }) throws {
        let current = try userVersion(connection)
        guard current < Schema.version else {
            guard current == Schema.version else {
                throw HavenError(.storeUnavailable, "the database schema (version \(current)) is newer than this Haven (version \(Schema.version))",
                                 hint: "run a newer havend")
            }
            return
        }
        try connection.transaction {
            for v in Int(current)..<Int(Schema.version) {
                try connection.execute(Schema.migrations[v])
                try upgrade(Int64(v + 1))
            }
            try connection.execute("PRAGMA user_version = \(Schema.version)")
        }
    }

    /// The schema version of the file (`PRAGMA user_version`); 0 for a new file.
    public static func schemaVersion(_ connection: Connection) throws(SQLiteError) -> Int64 {
        try userVersion(connection)
    }

    /// The schema version this Haven writes.
    public static var currentSchemaVersion: Int64 { Schema.version }

    static func userVersion(_ connection: Connection) throws(SQLiteError) -> Int64 {
        let s = try connection.statement("PRAGMA user_version")
        _ = try s.step()
        // Reset now: a statement left stepping would lock the schema against a migration's DROP.
        defer { s.reset() }
        return s.int64(0)
    }
}
