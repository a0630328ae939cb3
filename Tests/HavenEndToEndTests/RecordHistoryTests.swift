import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A record's notes and consent history live in sealed rows of their own, not in the
    /// header every request opens: a long history neither slows a read nor makes the next
    /// note dearer, each record has documented limits, and the rows are as tamper-evident
    /// as the header was.
    @Suite struct RecordHistoryTests {
        static func addNotes(_ c: HavenClient, _ id: String, _ range: ClosedRange<Int>, noteClass: String = "incident") async throws {
            for i in range {
                let _: RecordWriteResponse = try await c.post("/v1/records/\(id)/notes",
                                                              AddNoteRequest(noteClass: noteClass, text: "history note \(i)"))
            }
        }

        static func changeConsent(_ c: HavenClient, _ id: String, _ flag: String, _ action: String) async throws {
            let _: RecordWriteResponse = try await c.post("/v1/records/\(id)/consent",
                                                          ConsentChangeRequest(flag: flag, action: action, evidence: nil, expires: nil))
        }

        func headerLength(_ v: TestVault, _ id: String) throws -> Int {
            try v.scalarBlob("SELECT header FROM records WHERE id = ?", [id]).count
        }

        /// The header used to carry every note's metadata and every consent event, so it grew
        /// with each one and every read opened all of it.
        @Test func theSealedHeaderDoesNotGrowWithHistory() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "History Survivor", "incident_type": "rape"])
            let c = try await v.client(as: "intake")
            try await Self.addNotes(c, id, 1...9)
            for _ in 0..<5 {
                try await Self.changeConsent(c, id, "statistics", "grant")
                try await Self.changeConsent(c, id, "statistics", "withdraw")
            }
            let before = try headerLength(v, id)
            try await Self.addNotes(c, id, 10...150)
            for _ in 0..<50 {
                try await Self.changeConsent(c, id, "statistics", "grant")
                try await Self.changeConsent(c, id, "statistics", "withdraw")
            }
            await c.close()
            // Counts gain a digit or two; nothing else may grow.
            #expect(try headerLength(v, id) <= before + 16, "header grew from \(before) bytes")
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review", "--json"])
            #expect(r.notesTotal == 150 && r.notes.count == 20)
        }

        /// A read releases the latest notes a page at a time; every note is reachable, once.
        @Test func notesAreReadAPageAtATimeLatestFirst() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Paging Survivor", "incident_type": "rape"])
            let c = try await v.client(as: "intake")
            try await Self.addNotes(c, id, 1...250)
            await c.close()
            let first = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review", "--json"])
            #expect(first.notes.map(\.index) == Array(231...250))
            #expect(first.notes.map(\.text) == (231...250).map { "history note \($0)" })
            #expect(first.notesTotal == 250)
            let earlier = try v.json(ReadRecordResponse.self, as: "intake",
                                     ["record", "get", id, "--purpose", "review", "--notes-before", "231", "--notes-limit", "300", "--json"])
            #expect(earlier.notes.map(\.index) == Array(1...230))
            let text = try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review", "--notes-limit", "10"]).stdout
            #expect(text.contains("history note 250") && !text.contains("history note 240\n"), "\(text)")
            #expect(text.contains("--notes-before 241"), "the text output says how to page back: \(text)")
            let tooMany = try v.haven(as: "intake", ["record", "get", id, "--purpose", "review", "--notes-limit", "1001"])
            #expect(tooMany.status == 1 && tooMany.stderr.hasPrefix("haven: invalid_value:"), "\(tooMany)")
            // Only the notes of the page are named in the audit entry.
            let entries = try v.auditLog(["--record", id, "--limit", "5000"])
            let read = try #require(entries.last { $0.action == "record.read" && $0.decision == "allow" })
            #expect(read.released.filter { $0.hasPrefix("note#") }.count == 10, "\(read.released)")
        }

        /// Consent history is paged the same way, and the state of each flag still comes
        /// from the latest event, whatever the length of the history.
        @Test func consentHistoryIsPagedAndTheLatestEventDecides() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Consent Survivor", "incident_type": "rape"], assign: ["counsellor"])
            let c = try await v.client(as: "intake")
            for _ in 0..<75 {
                try await Self.changeConsent(c, id, "counselling", "grant")
                try await Self.changeConsent(c, id, "counselling", "withdraw")
            }
            try await Self.changeConsent(c, id, "counselling", "grant")
            await c.close()
            let shown = try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id, "--json"])
            #expect(shown.historyTotal == 151 && shown.history.count == 20)
            #expect(shown.history.last?.index == 151 && shown.history.last?.kind == "grant")
            #expect(shown.flags.first { $0.flag == "counselling" }?.state == "granted")
            let earlier = try v.json(ConsentResponse.self, as: "intake",
                                     ["consent", "show", id, "--history-before", "52", "--history-limit", "60", "--json"])
            #expect(earlier.history.map(\.index) == Array(1...51))
            try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "session"])
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "counselling"])
            #expect(try v.haven(as: "counsellor", ["record", "get", id, "--purpose", "session"]).status == 3)
        }

        /// Each record has limits on its history; the next note or consent change past one
        /// is refused with `limit_reached`, and the record stays as it was.
        @Test func aRecordAtItsLimitsRefusesMoreWithAStableCode() throws {
            let v = try TestVault(daemonArguments: ["--max-notes-per-record", "3", "--max-consent-events-per-record", "2"])
            let id = try v.createRecord(["survivor_name": "Limit Survivor", "incident_type": "rape"])
            for i in 1...3 { try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "note \(i)"]) }
            let note = try v.haven(as: "intake", ["note", "add", id, "--class", "incident", "--text", "one too many"])
            #expect(note.status == 1 && note.stderr.hasPrefix("haven: limit_reached:"), "\(note)")
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            let consent = try v.haven(as: "intake", ["consent", "grant", id, "police"])
            #expect(consent.status == 1 && consent.stderr.hasPrefix("haven: limit_reached:"), "\(consent)")
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review", "--json"])
            #expect(r.notes.map(\.text) == ["note 1", "note 2", "note 3"])
            try v.expectOK(as: "intake", ["record", "update", id, "--field", "incident_type=physical_assault"])
            try v.expectOK(as: "auditor", ["audit", "verify"])
        }

        // MARK: tampering with the history rows

        func recordWithNotes(_ v: TestVault, _ name: String) async throws -> String {
            let id = try v.createRecord(["survivor_name": name, "incident_type": "rape"])
            let c = try await v.client(as: "intake")
            try await Self.addNotes(c, id, 1...3)
            try await Self.changeConsent(c, id, "police", "grant")
            try await Self.changeConsent(c, id, "police", "withdraw")
            await c.close()
            return id
        }

        func expectIntegrityError(_ v: TestVault, _ args: [String]) throws {
            let r = try v.haven(as: "intake", args)
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: integrity_error:"), "\(r)")
        }

        @Test func aDeletedNoteIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Deleted Note Survivor")
            try v.execute("DELETE FROM notes WHERE record_id = ? AND idx = 2", [id])
            try expectIntegrityError(v, ["record", "get", id, "--purpose", "review"])
            // The fields alone do not touch the notes, and still read.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review", "--fields", "survivor_name"])
            // Someone who may not read the record is denied, and learns nothing of its notes.
            let police = try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"])
            #expect(police.status == 3 && !police.stderr.contains("note"), "\(police)")
        }

        @Test func aNoteMovedToAnotherPlaceIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Moved Note Survivor")
            let meta = try v.scalarBlob("SELECT meta FROM notes WHERE record_id = ? AND idx = 1", [id])
            let text = try v.scalarBlob("SELECT ciphertext FROM notes WHERE record_id = ? AND idx = 1", [id])
            try v.execute("UPDATE notes SET meta = ?, ciphertext = ? WHERE record_id = ? AND idx = 3", [meta, text, id])
            try expectIntegrityError(v, ["record", "get", id, "--purpose", "review"])
        }

        @Test func aNoteCopiedFromAnotherRecordIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Target Survivor")
            let other = try await recordWithNotes(v, "Source Survivor")
            let meta = try v.scalarBlob("SELECT meta FROM notes WHERE record_id = ? AND idx = 2", [other])
            let text = try v.scalarBlob("SELECT ciphertext FROM notes WHERE record_id = ? AND idx = 2", [other])
            try v.execute("UPDATE notes SET meta = ?, ciphertext = ? WHERE record_id = ? AND idx = 2", [meta, text, id])
            try expectIntegrityError(v, ["record", "get", id, "--purpose", "review"])
            try v.expectOK(as: "intake", ["record", "get", other, "--purpose", "review"])
        }

        @Test func aNoteMetadataSwappedWithinTheRecordIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Swapped Metadata Survivor")
            let one = try v.scalarBlob("SELECT meta FROM notes WHERE record_id = ? AND idx = 1", [id])
            try v.execute("UPDATE notes SET meta = ? WHERE record_id = ? AND idx = 2", [one, id])
            try expectIntegrityError(v, ["record", "get", id, "--purpose", "review"])
        }

        @Test func aConsentEventCopiedFromAnotherRecordIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Consent Target Survivor")
            let other = try await recordWithNotes(v, "Consent Source Survivor")
            let event = try v.scalarBlob("SELECT event FROM consent_events WHERE record_id = ? AND idx = 1", [other])
            try v.execute("UPDATE consent_events SET event = ? WHERE record_id = ? AND idx = 1", [event, id])
            try expectIntegrityError(v, ["consent", "show", id])
            try v.expectOK(as: "intake", ["consent", "show", other])
        }

        /// A note of format 2 whose sealed metadata is removed is not read as a note of a
        /// format-1 header (whose metadata the header held).
        @Test func aNoteStrippedOfItsMetadataIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Stripped Note Survivor")
            try v.withDatabase { db in try db.execute("UPDATE notes SET meta = NULL WHERE record_id = '\(id)' AND idx = 2") }
            try expectIntegrityError(v, ["record", "get", id, "--purpose", "review"])
        }

        /// Rows past the header's count vouch for nothing: a planted note or consent event is
        /// never shown, and the next real one takes its place.
        @Test func rowsPastTheCountAreNeverReadAndAreOverwritten() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Planted Rows Survivor")
            let meta = try v.scalarBlob("SELECT meta FROM notes WHERE record_id = ? AND idx = 3", [id])
            let text = try v.scalarBlob("SELECT ciphertext FROM notes WHERE record_id = ? AND idx = 3", [id])
            let event = try v.scalarBlob("SELECT event FROM consent_events WHERE record_id = ? AND idx = 2", [id])
            try v.withDatabase { db in
                let n = try db.statement("INSERT INTO notes (record_id, idx, meta, ciphertext) VALUES (?, 4, ?, ?)")
                try n.bind(1, id).bind(2, blob: meta).bind(3, blob: text).run()
                let e = try db.statement("INSERT INTO consent_events (record_id, idx, event) VALUES (?, 3, ?)")
                try e.bind(1, id).bind(2, blob: event).run()
            }
            var r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review", "--json"])
            #expect(r.notes.map(\.index) == [1, 2, 3] && r.notesTotal == 3)
            #expect(try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id, "--json"]).history.count == 2)
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "the real fourth note"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "health"])
            r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review", "--json"])
            #expect(r.notes.last?.index == 4 && r.notes.last?.text == "the real fourth note")
            #expect(try v.json(ConsentResponse.self, as: "intake", ["consent", "show", id, "--json"]).history.last?.flag == "health")
            // A read of named fields says nothing about the notes.
            let fields = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review",
                                                                          "--fields", "survivor_name", "--json"])
            #expect(fields.notesTotal == nil && fields.notes.isEmpty)
        }

        @Test func aDeletedOrMovedConsentEventIsCaught() async throws {
            let v = try TestVault()
            let id = try await recordWithNotes(v, "Consent Tamper Survivor")
            try v.expectOK(as: "intake", ["consent", "show", id])
            let first = try v.scalarBlob("SELECT event FROM consent_events WHERE record_id = ? AND idx = 1", [id])
            try v.execute("UPDATE consent_events SET event = ? WHERE record_id = ? AND idx = 2", [first, id])
            try expectIntegrityError(v, ["consent", "show", id])
            try v.execute("DELETE FROM consent_events WHERE record_id = ? AND idx = 2", [id])
            try expectIntegrityError(v, ["consent", "show", id])
            // What decides access is in the header, which is untouched: the record still reads.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review", "--fields", "survivor_name"])
        }
    }
}
