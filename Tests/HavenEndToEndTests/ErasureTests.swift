import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A survivor's record erased by crypto-shredding, with the real binaries and the real
    /// SQLite files: only intake of the record's agency may, giving a reason code of the
    /// policy; afterwards the record answers 410 `erased` (exit 4) with the date only to the
    /// roles that could have read it, and `not_found` as for an id that never existed to
    /// everyone else; its data key and every ciphertext are gone from the database file and
    /// its WAL (searched byte by byte), and the log still verifies.
    @Suite struct ErasureTests {
        static let reason = "survivor_request"
        /// A valid record id no record has.
        static let neverExisted = "aaaaaaaaaaaaaaaaaaaaaaaaaa"

        /// Every stored byte sequence of the record that would let the root key holder read it.
        static func secrets(_ v: TestVault, _ id: String) throws -> [(String, [UInt8])] {
            var out = [("wrapped data key", try v.scalarBlob("SELECT wrapped_key FROM records WHERE id = ?", [id])),
                       ("sealed header", try v.scalarBlob("SELECT header FROM records WHERE id = ?", [id]))]
            for f in ["survivor_name", "phone", "incident_type"] { out.append((f, try v.fieldCiphertext(id, f))) }
            out.append(("note", try v.scalarBlob("SELECT ciphertext FROM notes WHERE record_id = ?", [id])))
            out.append(("consent event", try v.scalarBlob("SELECT event FROM consent_events WHERE record_id = ?", [id])))
            return out
        }

        /// Which of `secrets` are anywhere in the database file or its WAL.
        static func found(_ secrets: [(String, [UInt8])], in v: TestVault) -> [String] {
            let files = ["/haven.db", "/haven.db-wal"].compactMap { FileManager.default.contents(atPath: v.data + $0) }
            return secrets.filter { s in files.contains { $0.range(of: Data(s.1)) != nil } }.map(\.0)
        }

        @Test func anErasedRecordAnswersErasedAndLeavesNoKeyOrCiphertextOnDisk() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Erased Survivor", "phone": "+856 20 5555 0101", "incident_type": "rape"],
                                        assign: ["counsellor"])
            let other = try v.createRecord(["survivor_name": "Kept Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "A note that must go too."])
            let secrets = try Self.secrets(v, id)
            #expect(Self.found(secrets, in: v).count == secrets.count, "the search finds them while they exist")

            // Who may not: the assigned counsellor, the administrator, another agency's intake.
            for user in ["counsellor", "admin"] {
                let r = try v.haven(as: user, ["record", "erase", id, "--reason", Self.reason])
                #expect(r.status == 3, "\(user): \(r)")
            }
            // The reason is a code of the policy, never words: free text is refused with the
            // codes (exit 1, as bad input), and so is a court order without its number or a
            // reference that is a phrase; none of the words reaches the audit log.
            let typed = "Keo asked on 1 December for her record to be destroyed"
            let words = try v.haven(as: "intake", ["record", "erase", id, "--reason", typed])
            #expect(words.status == 1 && words.stderr.hasPrefix("haven: invalid_value:")
                    && words.stderr.contains("court_order, entered_in_error, retention_ended, survivor_request")
                    && !words.stderr.contains("Keo"), "\(words)")
            let noOrder = try v.haven(as: "intake", ["record", "erase", id, "--reason", "court_order"])
            #expect(noOrder.status == 1 && noOrder.stderr.contains("needs a reference"), "\(noOrder)")
            let phrase = try v.haven(as: "intake", ["record", "erase", id, "--reason", "court_order", "--reference", "Keo's case 12"])
            #expect(phrase.status == 1 && phrase.stderr.contains("not a reference"), "\(phrase)")
            try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "still there"])

            let erased = try v.json(EraseRecordResponse.self, as: "intake",
                                    ["record", "erase", id, "--reason", "court_order", "--reference", "KPC-114/2026"])
            #expect(erased.id == id && erased.erasedBy == "intake")

            // Gone from disk: not one of its keys' or values' bytes, in the file or the WAL.
            #expect(Self.found(secrets, in: v).isEmpty, "still on disk: \(Self.found(secrets, in: v))")
            for file in try v.dataFiles() {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                #expect(bytes.range(of: Data("Erased Survivor".utf8)) == nil, "\(file)")
            }

            // A role that could have read it hears erased (exit 4) with the date, never who.
            let day = String(erased.erasedAt.prefix(10))
            for (user, args) in [("intake", ["record", "get", id, "--purpose", "after erasure"]),
                                 ("counsellor", ["record", "get", id, "--purpose", "after erasure"]),
                                 ("intake", ["record", "update", id, "--field", "phone=+856 20 0000"]),
                                 ("intake", ["consent", "show", id]),
                                 ("police", ["record", "get", id, "--purpose", "after erasure"]),
                                 ("intake", ["record", "erase", id, "--reason", Self.reason])] {
                let r = try v.haven(as: user, args)
                #expect(r.status == 4 && r.stderr.hasPrefix("haven: erased: record \(id) was erased on \(day)")
                        && !r.stderr.contains("intake") && !r.stderr.contains(erased.erasedAt), "\(user) \(args): \(r)")
            }
            // Anyone else — another agency, a separated duty — hears exactly what an id that
            // never existed gets: the id is no oracle of who was a client where.
            try v.enrol("lp-intake", role: "intake", agency: "ossc-luang-prabang")
            for (user, args) in [("lp-intake", ["record", "get", "ID", "--purpose", "after erasure"]),
                                 ("lp-intake", ["consent", "show", "ID"]),
                                 ("lp-intake", ["record", "erase", "ID", "--reason", Self.reason]),
                                 ("lp-intake", ["note", "add", "ID", "--class", "incident", "--text", "probe"]),
                                 ("admin", ["record", "get", "ID", "--purpose", "after erasure"]),
                                 ("auditor", ["consent", "show", "ID"]),
                                 ("analyst", ["record", "get", "ID", "--purpose", "after erasure"])] {
                let asked = try v.haven(as: user, args.map { $0 == "ID" ? id : $0 })
                let never = try v.haven(as: user, args.map { $0 == "ID" ? Self.neverExisted : $0 })
                #expect(asked.status == never.status && asked.stdout == never.stdout
                        && asked.stderr == never.stderr.replacingOccurrences(of: Self.neverExisted, with: id), "\(user) \(args): \(asked) vs \(never)")
                #expect(asked.status == 4 && asked.stderr.hasPrefix("haven: not_found:") && !asked.stderr.contains(day), "\(user): \(asked)")
            }
            let list = try v.json(RecordListResponse.self, as: "intake", ["record", "list", "--all"])
            #expect(list.records.first { $0.id == id }?.status == "erased")
            #expect(try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", other, "--purpose", "the other record"])
                .fields["survivor_name"] == "Kept Survivor")

            // Its history stays, the erasure in it with the reason's code and reference and who
            // erased it (for the auditor); the refused reasons left no words in it. The log
            // verifies, before and after a restart (which accepts the tombstone as the record's
            // audited state).
            let history = try v.auditLog(["--record", id, "--limit", "5000"])
            let entry = try #require(history.last { $0.action == "record.erase" && $0.decision == "allow" })
            #expect(entry.detail["reason"] == "court_order" && entry.detail["reference"] == "KPC-114/2026"
                    && entry.actor?.user == "intake" && entry.detail["notes"] == "1", "\(entry.detail)")
            let logText = try v.expectOK(as: "auditor", ["audit", "log", "--record", id, "--limit", "5000", "--json"]).stdout
            #expect(!logText.contains("Keo"), "a refused reason's words are in the log")
            #expect(history.contains { $0.action == "record.erase" && $0.decision == "deny" && $0.actor?.user == "counsellor" })
            try v.expectOK(as: "auditor", ["audit", "verify"])
            v.stop()
            try v.start()
            #expect(try v.haven(as: "intake", ["record", "get", id, "--purpose", "after restart"]).status == 4)
            try v.expectOK(as: "auditor", ["audit", "verify"])
        }

        /// Someone with the files but not the root key cannot fake an erasure (to hide a record
        /// from its readers) nor undo one: the tombstone is the record's authenticated state.
        @Test func aForgedOrUndoneErasureIsAnIntegrityError() throws {
            let v = try TestVault()
            let kept = try v.createRecord(["survivor_name": "Not Erased", "incident_type": "rape"])
            let gone = try v.createRecord(["survivor_name": "Erased Properly", "incident_type": "rape"])
            let key = try v.scalarBlob("SELECT wrapped_key FROM records WHERE id = ?", [gone])
            try v.expectOK(as: "intake", ["record", "erase", gone, "--reason", "entered_in_error"])
            try v.execute("UPDATE records SET status = 'erased', wrapped_key = X'', header = ? WHERE id = ?",
                          [Array("haven-erased-v1\ncreated_by intake\nerased_at 1\nerased_by intake\n".utf8), kept])
            let forged = try v.haven(as: "intake", ["record", "get", kept, "--purpose", "forged tombstone"])
            #expect(forged.status == 1 && forged.stderr.hasPrefix("haven: integrity_error:"), "\(forged)")
            try v.execute("UPDATE records SET status = 'open', wrapped_key = ? WHERE id = ?", [key, gone])
            let undone = try v.haven(as: "intake", ["record", "get", gone, "--purpose", "undone erasure"])
            #expect(undone.status == 1 && undone.stderr.hasPrefix("haven: integrity_error:"), "\(undone)")
        }
    }
}
