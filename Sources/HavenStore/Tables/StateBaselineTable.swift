/// The state tag of every row that grants access, as it was when the vault was upgraded to
/// schema 3 or, since, when its root key was last rotated (`state_baseline`). Written in
/// that transaction and never otherwise changed: its audit entry commits to a tag over all
/// of it, so a row added, removed or altered here afterwards is caught at the next start.
public enum StateBaselineTable {
    /// Empties the table for the baseline of a root key rotation.
    public static func removeAll(on db: Connection) throws {
        try db.run("DELETE FROM state_baseline")
    }

    public static func insert(key: String, tag: [UInt8], on db: Connection) throws {
        try db.statement("INSERT INTO state_baseline (key, tag) VALUES (?, ?)").bind(1, key).bind(2, blob: tag).run()
    }

    /// Every row in key order (byte order of the UTF-8 key, SQLite's BINARY collation).
    public static func forEach(on db: Connection, _ body: (String, [UInt8]) throws -> Void) throws {
        let s = try db.statement("SELECT key, tag FROM state_baseline ORDER BY key")
        while try s.step() { try body(s.string(0), s.blob(1)) }
    }
}
