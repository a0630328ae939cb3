import Foundation
import HavenStore
@testable import HavenVault
import Logging
import Testing

/// The writer never checkpoints (havend turns SQLite's automatic checkpoint off); the
/// checkpointer's thread moves committed pages into the database file instead.
@Suite struct WALCheckpointerTests {
    @Test func committedPagesReachTheDatabaseFileWithoutTheWriter() throws {
        let path = NSTemporaryDirectory() + "haven-wal-\(UInt64.random(in: 0...UInt64.max)).db"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let writer = try Database.open(path: path, create: true)
        try Database.migrate(writer)
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        func size(_ suffix: String = "") -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size]) as? Int) ?? 0
        }
        let before = size()
        try writer.transaction {
            for i in 0..<3000 {
                try writer.statement("INSERT INTO audit_subtrees (idx, hash) VALUES (?, ?)")
                    .bind(1, Int64(i)).bind(2, blob: [UInt8](repeating: UInt8(i % 251), count: 2000)).run()
            }
        }
        writer.resetStatements()  // as the writer does after each group: no statement pins a snapshot
        #expect(size("-wal") > 5_000_000 && size() == before, "the writer checkpointed by itself")

        let checkpointer = try WALCheckpointer(path: path, logger: Logger(label: "test"), interval: 0.05)
        checkpointer.start()
        let deadline = Date().addingTimeInterval(5)
        while size() < 5_000_000 && Date() < deadline { usleep(20_000) }
        checkpointer.stop()
        #expect(size() > 5_000_000, "database file is \(size()) bytes")
    }
}
