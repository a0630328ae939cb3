import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The audit log of a real vault: who may read it, what it records, and that `audit verify`
    /// catches every way of editing the database file.
    @Suite struct AuditTests {
        /// A vault with some history: reads allowed and denied, a break-glass access. Made
        /// once by the CLI, copied for each test.
        static let busy = VaultTemplate { v in
            let id = try v.createRecord(["survivor_name": "Audit Test Survivor", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "weekly session"])
            _ = try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"])
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            try v.expectOK(as: "counsellor2", ["record", "get", id, "--purpose", "hotline call",
                                               "--break-glass", "caller says she is locked in, needs address"])
            for i in 0..<5 { try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review \(i)"]) }
            return id
        }

        func busyVault() throws -> (TestVault, String) { try Self.busy.copy() }

        func verify(_ v: TestVault) throws -> (CommandResult, VerificationReport?) {
            let r = try v.haven(as: "auditor", ["audit", "verify", "--json"])
            return (r, try? JSONDecoder().decode(VerificationReport.self, from: Data(r.stdout.utf8)))
        }

        @Test func onlyAuditorsReadTheLogAndEveryRefusalIsAnEntry() throws {
            let (v, id) = try busyVault()
            for user in ["admin", "intake", "counsellor", "police", "court", "analyst"] {
                let r = try v.haven(as: user, ["audit", "log"])
                #expect(r.status == 3, "\(user): \(r)")
            }
            let denied = try v.auditLog(["--denied", "--limit", "1000"])
            #expect(Set(denied.filter { $0.action == "audit.read" }.compactMap { $0.actor?.user })
                    == ["admin", "intake", "counsellor", "police", "court", "analyst"])
            // The police read without consent is there, with the rule, the peer and the policy version.
            let police = try #require(denied.first { $0.action == "record.read" && $0.actor?.user == "police" })
            #expect(police.record == id && police.rule == "consent:police not granted" && police.consent["police"] == "never")
            #expect(police.peer?.pid ?? 0 > 0 && police.policyVersion?.count == 64 && police.purpose == "investigation")
            #expect(police.released.isEmpty)
        }

        @Test func entriesNameFieldsReleasedAndWithheldButNeverValues() throws {
            let (v, id) = try busyVault()
            let entries = try v.auditLog(["--record", id, "--limit", "1000"])
            let read = try #require(entries.first { $0.action == "record.read" && $0.actor?.user == "counsellor" })
            #expect(read.released == ["survivor_name", "incident_type"])
            #expect(read.purpose == "weekly session" && read.decision == "allow")
            let intakeRead = try #require(entries.first { $0.action == "record.read" && $0.actor?.user == "intake" })
            #expect(intakeRead.released.contains("survivor_name"))
            let glass = try v.auditLog(["--break-glass"])
            #expect(glass.count == 1 && glass[0].breakGlass == "caller says she is locked in, needs address")
            #expect(glass[0].actor?.user == "counsellor2")
            let dump = try v.expectOK(as: "auditor", ["audit", "log", "--json", "--limit", "5000"]).stdout
            #expect(!dump.contains("Audit Test Survivor"))
            // Filters by user and time.
            let mine = try v.auditLog(["--user", "intake", "--limit", "1000"])
            #expect(!mine.isEmpty && mine.allSatisfy { $0.actor?.user == "intake" })
            #expect(try v.auditLog(["--since", "2999-01-01"]).isEmpty)
        }

        @Test func summaryCountsReadsDenialsAndBreakGlass() throws {
            let (v, _) = try busyVault()
            let s = try v.json(AuditSummaryResponse.self, as: "auditor", ["audit", "summary"])
            let intake = try #require(s.users.first { $0.user == "intake" })
            #expect(intake.reads == 5 && intake.role == "intake")
            #expect(s.users.first { $0.user == "police" }?.denied == 1)
            #expect(s.users.first { $0.user == "counsellor2" }?.breakGlass == 1)
            let human = try v.expectOK(as: "auditor", ["audit", "summary", "--since", "2020-01-01"]).stdout
            #expect(human.contains("BREAK-GLASS") && human.contains("counsellor2"))
        }

        @Test func anUntouchedLogVerifiesThroughTheDaemonAndOffline() throws {
            let (v, _) = try busyVault()
            let (r, report) = try verify(v)
            #expect(r.status == 0, "\(r)")
            #expect(report?.ok == true && (report?.entries ?? 0) > 20 && report?.verifiedSize == report?.entries)
            let file = v.root + "/export.jsonl"
            try v.expectOK(as: "auditor", ["audit", "export", "--out", file])
            v.stop()
            let offline = try Command.run(TestVault.haven, ["audit", "verify", "--file", file, "--vault-key", v.data + "/vault.pub"])
            #expect(offline.status == 0, "\(offline)")
            #expect(offline.stdout.hasPrefix("ok: \(file):"))
        }

        @Test func aPartialExportVerifiesOffline() throws {
            let (v, _) = try busyVault()
            let file = v.root + "/tail.jsonl"
            try v.expectOK(as: "auditor", ["audit", "export", "--out", file, "--from", "9"])
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", file, "--vault-key", v.data + "/vault.pub"])
            #expect(r.status == 0, "\(r)")
            // Another vault's key does not verify it.
            let other = try TestVault(enrol: false, start: false)
            let wrong = try Command.run(TestVault.haven, ["audit", "verify", "--file", file, "--vault-key", other.data + "/vault.pub"])
            #expect(wrong.status == 1)
        }

        // MARK: tampering with the real database file

        func expectCaught(_ v: TestVault, firstBad: UInt64?, _ message: String) throws {
            let (r, report) = try verify(v)
            #expect(r.status == 1, "\(message): \(r)")
            #expect(report?.ok == false)
            if let firstBad { #expect(report?.firstBadSeq == firstBad, "\(message): \(report?.problems ?? [])") }
            #expect(report?.problems.contains { $0.message.contains(message) } == true, "\(report?.problems ?? [])")
            let human = try v.haven(as: "auditor", ["audit", "verify"])
            #expect(human.status == 1 && human.stdout.hasPrefix("FAILED"))
        }

        @Test func changingAFieldOfOneEntryIsCaught() throws {
            let (v, _) = try busyVault()
            let entry = try v.scalarBlob("SELECT entry FROM audit_entries WHERE seq = ?", ["14"])
            let edited = String(decoding: entry, as: UTF8.self).replacingOccurrences(of: "\"decision\":\"allow\"", with: "\"decision\":\"deny\"")
            #expect(Array(edited.utf8) != entry)
            try v.execute("UPDATE audit_entries SET entry = ? WHERE seq = 14", [Array(edited.utf8)])
            try expectCaught(v, firstBad: 14, "seq 14: altered")
        }

        @Test func deletingAnEntryIsCaught() throws {
            let (v, _) = try busyVault()
            try v.execute("DELETE FROM audit_entries WHERE seq = 11", [])
            try expectCaught(v, firstBad: 11, "seq 11: found entry 12")
        }

        @Test func reorderingTwoEntriesIsCaught() throws {
            let (v, _) = try busyVault()
            try v.withDatabase { db in
                try db.execute("""
                    UPDATE audit_entries SET seq = -1 WHERE seq = 8;
                    UPDATE audit_entries SET seq = 8 WHERE seq = 9;
                    UPDATE audit_entries SET seq = 9 WHERE seq = -1;
                    """)
            }
            try expectCaught(v, firstBad: 8, "seq 8: found entry 9")
        }

        @Test func truncatingTheTailIsCaught() throws {
            let (v, _) = try busyVault()
            v.stop()  // the final checkpoint covers every entry
            let count = try v.withDatabase { db -> Int in
                let s = try db.statement("SELECT COUNT(*) FROM audit_entries")
                _ = try s.step()
                return Int(s.int64(0))
            }
            try v.execute("DELETE FROM audit_entries WHERE seq >= ?", [count - 5])
            // The daemon notices at start and refuses to append to the damaged log…
            let refused = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(refused.status == 1 && refused.stderr.contains("entries were removed"), "\(refused)")
            // …unless told to keep serving; then verify names the cut.
            try v.start(extraArguments: ["--allow-damaged-audit-log"])
            try expectCaught(v, firstBad: nil, "log truncated")
        }

        @Test func replacingACheckpointSignatureIsCaught() throws {
            let (v, _) = try busyVault()
            let notes = try v.withDatabase { db -> [(Int64, [UInt8])] in
                let s = try db.statement("SELECT size, note FROM audit_checkpoints ORDER BY size")
                var out = [(Int64, [UInt8])]()
                while try s.step() { out.append((s.int64(0), s.blob(1))) }
                return out
            }
            #expect(notes.count >= 2)
            var first = try JSONSerialization.jsonObject(with: Data(notes[0].1)) as! [String: Any]
            let second = try JSONSerialization.jsonObject(with: Data(notes[1].1)) as! [String: Any]
            first["signature"] = second["signature"]
            try v.execute("UPDATE audit_checkpoints SET note = ? WHERE size = ?",
                          [[UInt8](try JSONSerialization.data(withJSONObject: first)), Int(notes[0].0)])
            try expectCaught(v, firstBad: nil, "checkpoint at size \(notes[0].0): signature does not verify")
        }

        @Test func aCheckpointFromAnotherVaultIsCaught() throws {
            let (v, _) = try busyVault()
            let other = try TestVault(enrol: false, start: false)
            let foreign = try other.scalarBlob("SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1", [])
            try v.execute("INSERT INTO audit_checkpoints (size, note) VALUES (?, ?)", [999_999, foreign])
            try expectCaught(v, firstBad: nil, "is of vault")
        }

        /// A record's entries are found through their chain, exactly as the whole log holds
        /// them; a probe of an id that is no record stays out of every chain (and out of the
        /// daemon's memory); a link edited in the file stops the start, and a search that
        /// meets it answers with an integrity error rather than a partial history.
        @Test func aRecordsEntriesAreFoundThroughTheirChainAndAnEditedLinkIsCaught() throws {
            let (v, id) = try busyVault()
            let probe = String(repeating: "a", count: 26)
            let missed = try v.haven(as: "intake", ["record", "get", probe, "--purpose", "typo"])
            #expect(missed.status != 0, "\(missed)")
            let all = try v.auditLog(["--limit", "5000"])
            let about = try v.auditLog(["--record", id, "--limit", "5000"])
            #expect(about.count >= 10 && about == all.filter { $0.record == id }, "\(about.map(\.seq))")
            #expect(try v.auditLog(["--record", probe]).map(\.seq) == all.filter { $0.record == probe }.map(\.seq))
            #expect(try v.auditLog(["--record", probe]).count == 1)
            // Newest first, a page at a time, through the CLI's cursor.
            let newest = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--record", id, "--limit", "3", "--sessions"])
            #expect(newest.entries.map(\.seq) == about.suffix(3).reversed().map(\.seq) && newest.remaining == Int64(about.count - 3))
            let before = try #require(newest.next)
            let older = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--record", id, "--limit", "3", "--sessions",
                                                                          "--before", String(before)])
            #expect(older.entries.map(\.seq) == about.dropLast(3).suffix(3).reversed().map(\.seq))

            let links = { (record: String) throws -> [Int64?] in
                try v.withDatabase { db in
                    let s = try db.statement("SELECT record_prev FROM audit_entries WHERE record = ? ORDER BY seq")
                    try s.bind(1, record)
                    var out = [Int64?]()
                    while try s.step() { out.append(s.optionalInt64(0)) }
                    return out
                }
            }
            #expect(try links(probe) == [-2])
            let chained = try links(id)
            #expect(chained.first == -1 && chained.dropFirst().map { $0! } == about.dropLast().map { Int64($0.seq) },
                    "each entry links to the one before: \(chained)")

            v.stop()
            let middle = about[about.count / 2].seq
            try v.execute("UPDATE audit_entries SET record_prev = NULL WHERE seq = ?", [Int(middle)])
            let refused = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(refused.status == 1 && refused.stderr.contains("does not link to the previous entry about its record"), "\(refused)")
            try v.start(extraArguments: ["--allow-damaged-audit-log"])
            let broken = try v.haven(as: "auditor", ["audit", "log", "--record", id])
            #expect(broken.status == 1 && broken.stderr.hasPrefix("haven: integrity_error:"), "\(broken)")
        }

        // MARK: consistency

        @Test func aLaterLogExtendsASavedCheckpointAndARewrittenOneDoesNot() throws {
            let (v, id) = try busyVault()
            let saved = v.root + "/checkpoint.json"
            try v.expectOK(as: "auditor", ["audit", "checkpoint", "--out", saved])
            for i in 0..<12 { try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "later \(i)"]) }
            let ok = try v.expectOK(as: "auditor", ["audit", "consistency", "--checkpoint", saved, "--vault-key", v.data + "/vault.pub"])
            #expect(ok.stdout.hasPrefix("ok: the log at size"))

            // Rewrite history before the saved checkpoint: an early entry and its stored hash.
            v.stop()
            let entry = try v.scalarBlob("SELECT entry FROM audit_entries WHERE seq = ?", ["5"])
            let edited = Array(String(decoding: entry, as: UTF8.self).replacingOccurrences(of: "\"decision\":\"allow\"",
                                                                                          with: "\"decision\":\"deny\"").utf8)
            try v.execute("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE seq = 5", [edited, MerkleHash.leaf(edited)])
            try v.start(extraArguments: ["--allow-damaged-audit-log"])
            let failed = try v.haven(as: "auditor", ["audit", "consistency", "--checkpoint", saved, "--vault-key", v.data + "/vault.pub"])
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stdout.contains("history was rewritten"))
        }

        // MARK: fail closed

        @Test func whenTheAuditLogCannotBeWrittenReadsFailWith503AndNoValues() async throws {
            let (v, id) = try busyVault()
            // Connected before the fault: opening a session is itself audited, so it would fail too.
            let c = try await v.client(as: "intake")
            try v.withDatabase { db in
                try db.execute("CREATE TRIGGER audit_fault BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'injected fault'); END;")
            }
            let r = try v.haven(as: "intake", ["record", "get", id, "--purpose", "during the fault"])
            #expect(r.status == 5, "\(r)")
            #expect(r.stderr.hasPrefix("haven: audit_unavailable:"))
            #expect(!r.stdout.contains("Audit Test Survivor"))
            // On the raw API: 503 with the stable code, and no value in the body.
            let raw = try await c.connection.send(method: .POST, path: "/v1/records/\(id)/read",
                                                  body: Array(#"{"purpose":"raw during the fault"}"#.utf8))
            #expect(raw.status == 503)
            let body = String(decoding: raw.body, as: UTF8.self)
            #expect(body.contains("\"code\":\"audit_unavailable\"") && !body.contains("Audit Test Survivor"))
            // Writes fail too, and leave nothing behind.
            #expect(try v.haven(as: "intake", ["record", "update", id, "--field", "phone=123"]).status == 5)
            // Even opening a session fails closed.
            #expect(try v.haven(as: "intake", ["status"]).status == 5)
            await c.close()

            try v.withDatabase { db in try db.execute("DROP TRIGGER audit_fault") }
            let after = try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the fault"])
            #expect(after.stdout.contains("Audit Test Survivor") && !after.stdout.contains("123"))
            let (vr, report) = try verify(v)
            #expect(vr.status == 0 && report?.ok == true, "\(vr)")
        }
    }
}
