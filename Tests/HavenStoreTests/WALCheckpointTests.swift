import Foundation
import HavenStore
import Testing

/// `Connection.walCheckpoint`: what SQLite's checkpoint did, and nil rather than an error when
/// another connection's checkpoint is running.
@Suite struct WALCheckpointTests {
    let dir = NSTemporaryDirectory() + "haven-checkpoint-\(UUID().uuidString)"

    func scratch(_ body: (String) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir + "/haven.db")
    }

    static func walSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? -1
    }

    @Test func aPassiveCheckpointCopiesEveryFrameNoReaderHolds() throws {
        try scratch { path in
            let db = try Database.open(path: path, create: true)
            try db.execute("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(20000))")
            let done = try #require(try db.walCheckpoint(.passive))
            #expect(!done.blocked && done.walFrames > 0 && done.copied == done.walFrames, "\(done)")
            #expect(Self.walSize(path) > 0, "a passive checkpoint leaves the WAL file as it is")
        }
    }

    @Test func aTruncatingCheckpointEmptiesTheWAL() throws {
        try scratch { path in
            let db = try Database.open(path: path, create: true)
            try db.execute("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(20000))")
            let done = try #require(try db.walCheckpoint(.truncate))
            #expect(!done.blocked, "\(done)")
            #expect(Self.walSize(path) == 0)
        }
    }

    /// A reader in an older snapshot keeps the frames after it from being copied: the
    /// checkpoint says so, and leaves no statement of its own open.
    @Test func aReaderInAnOlderSnapshotBlocksPartOfTheCopy() throws {
        try scratch { path in
            let db = try Database.open(path: path, create: true)
            try db.execute("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(20000))")
            let reader = try Database.openReader(path: path)
            try reader.execute("BEGIN")
            let s = try reader.statement("SELECT COUNT(*) FROM t")
            #expect(try s.step())
            try db.execute("INSERT INTO t VALUES (zeroblob(20000))")
            let held = try #require(try db.walCheckpoint(.passive))
            #expect(held.copied < held.walFrames, "\(held)")
            reader.resetStatements()
            try reader.execute("COMMIT")
            let after = try #require(try db.walCheckpoint(.truncate))
            #expect(!after.blocked, "\(after)")
            #expect(Self.walSize(path) == 0)
        }
    }
}
