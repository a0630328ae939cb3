import Foundation
import HavenStore
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

    @Test func commitsLeaveTheCopyToTheCheckpointer() throws {
        let dir = NSTemporaryDirectory() + "haven-wal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/haven.db"
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
