import Foundation
import HavenStore
import HavenTestSupport
@testable import HavenVault
import Logging
import Testing

/// The writer's commits never checkpoint the WAL themselves; the checkpointer's thread does,
/// and once it has copied everything the writer starts the WAL again from the top.
@Suite struct WALCheckpointerTests {
    /// What the commit hook was told, in order (it runs on the committing thread).
    final class Seen {
        var frames = [Int]()
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    /// A fresh file with one table, in a directory removed at the end.
    static func scratch(_ body: (String, Connection) throws -> Void) throws {
        let dir = TemporaryDirectory("haven-wal")
        defer { dir.remove() }
        let db = try Database.open(path: dir.file("haven.db"), create: true)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x BLOB); INSERT INTO t (x) VALUES (zeroblob(3000))")
        try body(dir.file("haven.db"), db)
    }

    /// One group as the writer runs it: a lookup left open (as a job's is), a change.
    static func group(_ db: Connection, resetBeforeCommit: Bool) throws {
        try db.run("BEGIN IMMEDIATE")
        let lookup = try db.statement("SELECT x FROM t WHERE id = 1")
        _ = try lookup.step()
        try db.statement("UPDATE t SET x = randomblob(3000) WHERE id = 1").run()
        if resetBeforeCommit { db.resetStatements() }
        try db.run("COMMIT")
        db.resetStatements()
    }

    /// Why the writer resets its statements before COMMIT: with one still open, SQLite's own
    /// checkpoint after the commit cannot run, and the WAL grows for as long as that lasts.
    @Test func anOpenStatementAtCommitKeepsSQLitesOwnCheckpointFromRunning() throws {
        try Self.scratch { path, db in
            for _ in 0..<1500 { try Self.group(db, resetBeforeCommit: false) }
            #expect(Self.size(path + "-wal") > 1500 * 3000, "nothing was copied back: the WAL holds every group")
            for _ in 0..<1500 { try Self.group(db, resetBeforeCommit: true) }
            let frames = try db.statement("PRAGMA wal_checkpoint(PASSIVE)")
            #expect(try frames.step())
            #expect(frames.int64(1) < 1200, "with nothing open at COMMIT the automatic checkpoint runs and the WAL starts again")
            db.resetStatements()
        }
    }

    /// The writer's catch-up between groups, with no other thread: the WAL never holds much
    /// more than twice the threshold, however many groups are committed.
    @Test func theWriterCatchingUpBetweenGroupsKeepsTheWALBounded() throws {
        try Self.scratch { path, db in
            let checkpointer = WALCheckpointer(db: try Database.open(path: path), logger: Logger(label: "test"))
            let seen = Seen()
            db.onWALCommit { frames in
                seen.frames.append(frames)
                checkpointer.committed(frames: frames)
            }
            for _ in 0..<5000 {
                try Self.group(db, resetBeforeCommit: true)
                checkpointer.catchUp(db)
            }
            #expect((seen.frames.max() ?? 0) <= 2 * WALCheckpointer.threshold + 2)
            #expect(seen.frames.contains { $0 <= 2 }, "the WAL was started again from the top")
            #expect(Self.size(path + "-wal") < (2 * WALCheckpointer.threshold + 10) * (4096 + 24))
        }
    }

    @Test func commitsLeaveTheCopyToTheCheckpointer() throws {
        let dir = TemporaryDirectory("haven-wal")
        defer { dir.remove() }
        let path = dir.file("haven.db")
        let writer = try Database.open(path: path, create: true)
        try writer.execute("CREATE TABLE t (x BLOB)")
        let seen = Seen()
        writer.onWALCommit { seen.frames.append($0) }
        let row = [UInt8](repeating: 7, count: 3000)  // a page of its own: one frame per commit at least
        func commit(_ n: Int) throws {
            for _ in 0..<n { try writer.statement("INSERT INTO t VALUES (?)").bind(1, blob: row).run() }
        }

        let before = Self.size(path)
        try commit(1500)
        // Past SQLite's threshold of 1,000 frames, and still nothing copied into the file:
        // no commit ran the automatic checkpoint.
        #expect((seen.frames.last ?? 0) >= 1500)
        #expect(seen.frames == seen.frames.sorted())
        #expect(Self.size(path) == before)

        let checkpointer = WALCheckpointer(db: try Database.open(path: path), logger: Logger(label: "test"))
        writer.onWALCommit { frames in
            seen.frames.append(frames)
            checkpointer.committed(frames: frames)
        }
        checkpointer.start()
        defer { checkpointer.stop() }
        try commit(1)
        // A wait for the other thread (up to 10 s), not a measure of its speed.
        for _ in 0..<200 where Self.size(path) == before { usleep(50_000) }
        #expect(Self.size(path) > before, "the checkpointer copied the WAL into the database")
        // Once every frame is copied, the next commits write from the top of the WAL again.
        for _ in 0..<250 where (seen.frames.last ?? .max) >= 100 {
            try commit(1)
            usleep(20_000)
        }
        #expect((seen.frames.last ?? .max) < 100)
        let count = try writer.statement("SELECT COUNT(*) FROM t")
        #expect(try count.step())
        #expect(count.int64(0) >= 1501)
        writer.resetStatements()
    }
}
