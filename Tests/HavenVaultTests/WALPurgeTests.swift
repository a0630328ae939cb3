import Foundation
import HavenStore
@testable import HavenVault
import Logging
import NIOPosix
import Testing

/// The WAL emptied after an erasure without the writer ever waiting for a reader: an
/// attempt while an older snapshot is open returns at once and the writer goes on
/// committing; the first attempt after the reader ends empties the WAL, and the answer
/// waiting for it is released.
@Suite struct WALPurgeTests {
    @Test func aReaderInAnOlderSnapshotHoldsThePurgeBackButNeverTheWriter() async throws {
        try WALCheckpointerTests.scratch { path, db in
            try db.execute("UPDATE t SET x = randomblob(3000) WHERE id = 1")
            // A long read: a snapshot that still needs the WAL (a backup's, a scan's).
            let reader = try Database.openReader(path: path)
            try reader.run("BEGIN")
            let read = try reader.statement("SELECT length(x) FROM t")
            #expect(try read.step())

            try db.execute("UPDATE t SET x = zeroblob(3000) WHERE id = 1")  // the erasure
            let purge = WALPurge(logger: Logger(label: "test"))
            purge.request()
            let answer = purge.emptied(on: MultiThreadedEventLoopGroup.singleton.next())
            #expect(purge.attempt(db) == false, "a reader is in an older snapshot")
            #expect(purge.isPending)
            // The writer is not held: it commits, and tries again, as often as it likes.
            for _ in 0..<20 {
                try db.execute("INSERT INTO t (x) VALUES (randomblob(100))")
                #expect(purge.attempt(db) == false)
            }
            #expect(WALCheckpointerTests.size(path + "-wal") > 0)

            reader.resetStatements()
            reader.rollbackQuietly()
            #expect(purge.attempt(db), "no older reader: the WAL is emptied")
            #expect(!purge.isPending)
            #expect(WALCheckpointerTests.size(path + "-wal") == 0)
            #expect(try answer.wait() == true, "the answer that waited is released")
            // Nothing pending: an answer does not wait at all.
            #expect(try purge.emptied(on: MultiThreadedEventLoopGroup.singleton.next()).wait() == true)
        }
    }
}
