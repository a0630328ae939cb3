/// The audit log's rows: entries with their leaf hashes, signed checkpoints, and the
/// hashes of complete 256-leaf subtrees that make proofs over a large log cheap.
///
/// Nothing here is trusted by a verifier: `haven audit verify` recomputes every hash from
/// the entry bytes and checks the result against checkpoints signed by the vault key.
public enum AuditTable {
    public static func append(seq: UInt64, entry: [UInt8], leafHash: [UInt8], on db: Connection) throws {
        try db.statement("INSERT INTO audit_entries (seq, entry, leaf_hash) VALUES (?, ?, ?)")
            .bind(1, Int64(seq)).bind(2, blob: entry).bind(3, blob: leafHash).run()
    }

    public static func putSubtree(index: UInt64, hash: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO audit_subtrees (idx, hash) VALUES (?, ?)")
            .bind(1, Int64(index)).bind(2, blob: hash).run()
    }

    public static func putCheckpoint(size: UInt64, note: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO audit_checkpoints (size, note) VALUES (?, ?)")
            .bind(1, Int64(size)).bind(2, blob: note).run()
    }

    /// The number of entries, read as one past the highest sequence number (seq starts at 0).
    public static func count(on db: Connection) throws -> UInt64 {
        let s = try db.statement("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_entries")
        _ = try s.step()
        return UInt64(s.int64(0))
    }

    /// Calls `body` for each entry with `seq` in `range`, in order, without copying blobs.
    public static func forEachEntry(in range: Range<UInt64>, on db: Connection,
                                    _ body: (UInt64, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        let s = try db.statement("SELECT seq, entry, leaf_hash FROM audit_entries WHERE seq >= ? AND seq < ? ORDER BY seq")
        try s.bind(1, Int64(range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
        while try s.step() {
            let seq = UInt64(s.int64(0))
            try s.withBlob(1) { entry in
                try s.withBlob(2) { leaf in try body(seq, entry, leaf) }
            }
        }
    }

    public static func entry(seq: UInt64, on db: Connection) throws -> [UInt8]? {
        let s = try db.statement("SELECT entry FROM audit_entries WHERE seq = ?")
        try s.bind(1, Int64(seq))
        return try s.step() ? s.blob(0) : nil
    }

    public static func leafHashes(in range: Range<UInt64>, on db: Connection) throws -> [[UInt8]] {
        let s = try db.statement("SELECT leaf_hash FROM audit_entries WHERE seq >= ? AND seq < ? ORDER BY seq")
        try s.bind(1, Int64(range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
        var out = [[UInt8]]()
        out.reserveCapacity(Int(range.count))
        while try s.step() { out.append(s.blob(0)) }
        return out
    }

    public static func subtrees(on db: Connection) throws -> [[UInt8]] {
        let s = try db.statement("SELECT idx, hash FROM audit_subtrees ORDER BY idx")
        var out = [[UInt8]]()
        while try s.step() {
            guard s.int64(0) == Int64(out.count) else { break }  // a gap: use only the contiguous prefix
            out.append(s.blob(1))
        }
        return out
    }

    public static func checkpoints(on db: Connection) throws -> [(size: UInt64, note: [UInt8])] {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints ORDER BY size")
        var out = [(size: UInt64, note: [UInt8])]()
        while try s.step() { out.append((UInt64(s.int64(0)), s.blob(1))) }
        return out
    }

    public static func latestCheckpoint(on db: Connection) throws -> (size: UInt64, note: [UInt8])? {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1")
        return try s.step() ? (UInt64(s.int64(0)), s.blob(1)) : nil
    }

    /// The earliest checkpoint whose tree contains entry `seq`.
    public static func checkpoint(covering seq: UInt64, on db: Connection) throws -> (size: UInt64, note: [UInt8])? {
        let s = try db.statement("SELECT size, note FROM audit_checkpoints WHERE size > ? ORDER BY size LIMIT 1")
        try s.bind(1, Int64(seq))
        return try s.step() ? (UInt64(s.int64(0)), s.blob(1)) : nil
    }
}
