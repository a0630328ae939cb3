import HavenStore
import HavenTestSupport

extension TestVault {
    /// Opens the vault's real SQLite file directly, as an attacker with the disk would.
    func withDatabase<R>(_ body: (Connection) throws -> R) throws -> R {
        let db = try Connection(path: data + "/haven.db", mode: .readWrite)
        try db.execute("PRAGMA busy_timeout = 5000")
        defer { db.resetStatements() }
        return try body(db)
    }

    func scalarBlob(_ sql: String, _ args: [String]) throws -> [UInt8] {
        try withDatabase { db in
            let s = try db.statement(sql)
            for (i, a) in args.enumerated() { try s.bind(Int32(i + 1), a) }
            guard try s.step() else { throw TestFailure("no row for \(sql)") }
            return s.blob(0)
        }
    }

    func execute(_ sql: String, _ args: [Any]) throws {
        try withDatabase { db in
            let s = try db.statement(sql)
            for (i, a) in args.enumerated() {
                switch a {
                case let v as String: try s.bind(Int32(i + 1), v)
                case let v as Int: try s.bind(Int32(i + 1), Int64(v))
                case let v as [UInt8]: try s.bind(Int32(i + 1), blob: v)
                default: throw TestFailure("unsupported argument \(a)")
                }
            }
            try s.run()
            guard db.changes > 0 else { throw TestFailure("\(sql) changed nothing") }
        }
    }

    func fieldCiphertext(_ record: String, _ field: String) throws -> [UInt8] {
        try scalarBlob("SELECT ciphertext FROM fields WHERE record_id = ? AND name = ?", [record, field])
    }

    /// The search index values of one record (every record's, for nil), by field.
    func searchIndexValues(_ record: String? = nil) throws -> [Int64] {
        try withDatabase { db in
            let s = try db.statement("SELECT value FROM search_index WHERE ?1 IS NULL OR record_id = ?1 ORDER BY field, record_id")
            if let record { try s.bind(1, record) } else { try s.bindNull(1) }
            var out = [Int64]()
            while try s.step() { out.append(s.int64(0)) }
            return out
        }
    }
}
