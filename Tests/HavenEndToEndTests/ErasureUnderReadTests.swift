import Foundation
import HavenAPI
import HavenStore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// An erasure never holds other requests behind a reader. A read transaction left open
    /// on the database (as a backup's snapshot is) keeps the erased record's old pages in
    /// the WAL — they may still be read through it — but the writer does not wait for it:
    /// the erasure is answered, other requests are served and changes committed meanwhile,
    /// and once the reader ends the WAL is emptied without any request (ErasureTests checks
    /// the usual case: no older reader, the WAL emptied before the answer).
    @Suite struct ErasureUnderReadTests {
        @Test func anErasureAndOtherRequestsAreServedWhileALongReadHoldsASnapshot() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Erased Survivor", "phone": "+856 20 5555 0101", "incident_type": "rape"],
                                        assign: ["counsellor"])
            let other = try v.createRecord(["survivor_name": "Kept Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "A note that must go too."])
            let secrets = try ErasureTests.secrets(v, id)

            // The long read: a snapshot taken before the erasure and held open throughout.
            let reader = try Database.openReader(path: v.data + "/haven.db")
            try reader.run("BEGIN")
            let read = try reader.statement("SELECT count(*) FROM records")
            #expect(try read.step())

            let erased = try v.json(EraseRecordResponse.self, as: "intake", ["record", "erase", id, "--reason", "survivor_request"])
            #expect(erased.id == id)
            // Served while the snapshot is still open: reads, a change, another erasure.
            try v.expectOK(as: "intake", ["record", "get", other, "--purpose", "while a long read is open"])
            let third = try v.createRecord(["survivor_name": "Third Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["record", "erase", third, "--reason", "entered_in_error"])
            let gone = try v.haven(as: "intake", ["record", "get", id, "--purpose", "after erasure"])
            #expect(gone.status == 4 && gone.stderr.hasPrefix("haven: erased:"), "\(gone)")
            // The reader may still need the old pages: they stay until it ends.
            #expect(!ErasureTests.found(secrets, in: v).isEmpty, "a reader in an older snapshot keeps the WAL")

            reader.resetStatements()
            reader.rollbackQuietly()
            // Emptied by the writer on its own, within moments of the reader's end (it tries
            // every 20 ms while a purge is pending); waited for here, not timed.
            var left = ErasureTests.found(secrets, in: v)
            for _ in 0..<200 where !left.isEmpty {
                Thread.sleep(forTimeInterval: 0.05)
                left = ErasureTests.found(secrets, in: v)
            }
            #expect(left.isEmpty, "still on disk after the reader ended: \(left)")
            try v.expectOK(as: "auditor", ["audit", "verify"])
        }
    }
}
