import Dispatch
import Foundation
import HavenCore
@testable import HavenStore
import HavenTestSupport
import Synchronization
import Testing

/// A connection opened while the writer commits: `audit verify`'s own connections and every
/// new reader are opened while the daemon serves.
@Suite struct ConnectionOpeningTests {
    /// The test's database file, in a directory removed after the test with its -wal and -shm.
    let directory = TemporaryDirectory("haven-open")
    var path: String { directory.file("haven.db") }

    /// With journal_mode set before busy_timeout, a few opens in a thousand during steady
    /// commits failed at once with "database is locked" (a 503 to whoever asked); each now
    /// waits its turn.
    @Test func aReaderOpenedWhileTheWriterCommitsIsNeverRefusedBusy() throws {
        let setup = try Database.open(path: path, create: true)
        try setup.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)")
        let stop = Atomic<Bool>(false)
        let commits = Atomic<Int>(0)
        let writer = Thread {
            guard let db = try? Database.open(path: path) else { return }
            while !stop.load(ordering: .relaxed) {
                try? db.execute("BEGIN IMMEDIATE; INSERT INTO t(v) VALUES (randomblob(3000)); "
                                + "DELETE FROM t WHERE id = (SELECT min(id) FROM t) AND (SELECT count(*) FROM t) > 50; COMMIT")
                commits.add(1, ordering: .relaxed)
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }
        while commits.load(ordering: .relaxed) < 10 { usleep(1_000) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            for _ in 0..<400 {
                do {
                    let reader = try Database.openReader(path: path, cacheKiB: 256)
                    let s = try reader.statement("SELECT max(id) FROM t")
                    _ = try s.step()
                    reader.resetStatements()
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        stop.store(true, ordering: .relaxed)
        let seen = failures.withLock { $0 }
        #expect(seen.count == 0, "\(seen.count) of 1200 opens failed, first: \(seen.first ?? "")")
        #expect(commits.load(ordering: .relaxed) > 10)
    }
}
