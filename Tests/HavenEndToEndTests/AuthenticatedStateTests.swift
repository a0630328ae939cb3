import Foundation
import Glibc
import HavenAPI
import HavenAudit
import HavenCore
import HavenStore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Someone who can write the stopped vault's files but holds no root key edits the
    /// database with SQLite directly: each change to what grants access is refused at start,
    /// or at the first touch of what was changed, with no content leaving, and the refusal
    /// or the audit log names what was found. One test per attack (SECURITY.md).
    @Suite struct AuthenticatedStateTests {
        /// Starts havend on the edited vault and expects it to refuse with one line naming `finding`.
        func expectRefusedStart(_ v: TestVault, _ finding: String, extra: [String] = []) throws {
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy] + extra,
                                    timeout: 30)
            #expect(r.status == 1, "\(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
            #expect(r.stderr.hasPrefix("havend: refusing to start: "), "\(r)")
            #expect(r.stderr.contains(finding), "expected '\(finding)': \(r)")
            #expect(!FileManager.default.fileExists(atPath: v.socket), "no socket may be served")
        }

        /// Reads `id` as `user` and expects an integrity error that leaks nothing of `values`.
        func expectIntegrityError(_ v: TestVault, as user: String, _ arguments: [String], values: [String]) throws {
            let r = try v.haven(as: user, arguments)
            #expect(r.status == 1, "\(r)")
            #expect(r.stderr.hasPrefix("haven: integrity_error:"), "\(r)")
            for value in values { #expect(!r.stdout.contains(value) && !r.stderr.contains(value), "leaked \(value): \(r)") }
        }

        /// The last entry about `record` by `user`, as the auditor sees it.
        func lastEntry(_ v: TestVault, record: String, by user: String) throws -> AuditEntryView? {
            try v.auditLog(["--record", record, "--limit", "5000"])
                .last { $0.actor?.user == user }
        }

        // MARK: users

        @Test func aRoleEditedInTheUsersTableIsRefusedAtStart() throws {
            let v = try TestVault()
            v.stop()
            try v.execute("UPDATE users SET role = 'intake', agency = 'ossc-vientiane' WHERE name = 'auditor'", [])
            try expectRefusedStart(v, "table users, user 'auditor': the row differs from its last audited state")
        }

        @Test func aUserInsertedIntoTheUsersTableIsRefusedAtStart() throws {
            let v = try TestVault()
            try v.newKey("mallory")
            v.stop()
            let key = try KeyFileFormatTest.publicKeyBytes(v.keyPath("mallory") + ".pub")
            try v.execute("""
                INSERT INTO users (name, role, agency, public_key, uid, status, created_at, created_by)
                VALUES ('mallory', 'police', 'police-vientiane', ?, NULL, 'active', 1790000000000, 'admin')
                """, [key])
            try expectRefusedStart(v, "table users, user 'mallory': no audited change wrote this row (inserted outside Haven)")
        }

        @Test func aRevokedUserRestoredToActiveIsRefusedAtStart() throws {
            let v = try TestVault()
            try v.expectOK(as: "admin", ["user", "revoke", "police"])
            v.stop()
            try v.execute("UPDATE users SET status = 'active', revoked_at = NULL, revoked_by = NULL WHERE name = 'police'", [])
            try expectRefusedStart(v, "table users, user 'police': the row differs from its last audited state")
        }

        @Test func aUidBindingRemovedIsRefusedAtStart() throws {
            let v = try TestVault()
            try v.enrol("bounmy", role: "counsellor", agency: "ossc-vientiane", uid: 4242)
            v.stop()
            try v.execute("UPDATE users SET uid = NULL WHERE name = 'bounmy'", [])
            try expectRefusedStart(v, "table users, user 'bounmy': the row differs from its last audited state")
        }

        @Test func aUserDeletedFromTheUsersTableIsRefusedAtStart() throws {
            let v = try TestVault()
            v.stop()
            try v.execute("DELETE FROM users WHERE name = 'auditor'", [])
            try expectRefusedStart(v, "table users, user 'auditor': deleted outside Haven")
        }

        @Test func theVaultsIdentityEditedIsRefusedAtStart() throws {
            let v = try TestVault(enrol: false)
            v.stop()
            try v.execute("UPDATE vault_meta SET value = ? WHERE key = 'created_at'", [Array("1600000000000".utf8)])
            try expectRefusedStart(v, "table vault_meta: the row differs from its last audited state")
        }

        // MARK: records

        @Test func anAssignmentInsertedIntoTheIndexListsNothingAndReadsNothing() throws {
            let v = try TestVault()
            let mine = try v.createRecord(["survivor_name": "Assigned Survivor", "incident_type": "rape"], assign: ["counsellor"])
            let other = try v.createRecord(["survivor_name": "Unassigned Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", other, "counselling"])
            // While havend serves: a row inserted while it was stopped is found and removed at
            // start (DerivedRowsTamperTests), so this is where the listing's own check shows.
            try v.execute("INSERT INTO record_assignees (user, record_id) VALUES ('counsellor', ?)", [other])
            // Listing shows only what the sealed headers assign, and does not even name the other…
            let list = try v.expectOK(as: "counsellor", ["record", "list"])
            #expect(list.stdout.contains(mine) && !list.stdout.contains(other), "\(list)")
            // …and the record itself stays out of reach.
            let read = try v.haven(as: "counsellor", ["record", "get", other, "--purpose", "forged assignment"])
            #expect(read.status == 3 && !read.stdout.contains("Unassigned Survivor"), "\(read)")
            let entries = try v.auditLog(["--user", "counsellor", "--limit", "5000"])
            // …and the listing's audit entry says what was found.
            let listed = try #require(entries.last { $0.action == "record.list" })
            #expect(listed.detail["integrity"]?.contains("an index row inserted outside Haven") == true, "\(listed)")
        }

        @Test func recordMetadataEditedIsRefusedAtFirstTouch() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Metadata Survivor", "incident_type": "rape"])
            v.stop()
            try v.execute("UPDATE records SET created_at = created_at - 86400000, updated_at = updated_at + 1 WHERE id = ?", [id])
            try v.start()
            try expectIntegrityError(v, as: "intake", ["record", "get", id, "--purpose", "metadata check"], values: ["Metadata Survivor"])
            let entry = try #require(try lastEntry(v, record: id, by: "intake"))
            #expect(entry.outcome == "integrity_error" && entry.released.isEmpty)
            #expect(entry.detail["integrity"]?.contains("does not match its latest audited state") == true, "\(entry)")
        }

        @Test func aRecordRolledBackAfterConsentWithdrawalIsRefused() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Rollback Survivor", "incident_type": "rape",
                                         "perpetrator_relationship": "intimate_partner"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let granted = try v.expectOK(as: "police", ["record", "get", id, "--purpose", "investigation 41/2026"])
            #expect(granted.stdout.contains("Rollback Survivor"))
            // The row as it was while police consent was granted: a consistent older version.
            let old = try v.withDatabase { db -> [Any] in
                let s = try db.statement("SELECT status, version, updated_at, header FROM records WHERE id = ?")
                try s.bind(1, id)
                _ = try s.step()
                return [s.string(0), Int(s.int64(1)), Int(s.int64(2)), s.blob(3)]
            }
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            v.stop()
            try v.execute("UPDATE records SET status = ?, version = ?, updated_at = ?, header = ? WHERE id = ?", old + [id])
            try v.start()
            try expectIntegrityError(v, as: "police", ["record", "get", id, "--purpose", "after withdrawal"],
                                     values: ["Rollback Survivor", "intimate_partner"])
            // consent show does not say "granted" from the restored header either.
            try expectIntegrityError(v, as: "intake", ["consent", "show", id], values: ["granted"])
            let entry = try #require(try lastEntry(v, record: id, by: "police"))
            #expect(entry.outcome == "integrity_error" && entry.released.isEmpty)
            #expect(entry.detail["integrity"]?.contains("restored from an older copy") == true, "\(entry)")
            // The rest of the vault keeps serving.
            let other = try v.createRecord(["survivor_name": "Other Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["record", "get", other, "--purpose", "still serving"])
        }

        @Test func aDeletedRecordIsAnIntegrityErrorNotNotFound() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Deleted Survivor", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", "a note"])
            v.stop()
            try v.withDatabase { db in
                for table in ["fields", "notes", "record_assignees", "records"] {
                    let column = table == "records" ? "id" : "record_id"
                    try db.statement("DELETE FROM \(table) WHERE \(column) = ?").bind(1, id).run()
                }
            }
            try v.start()
            try expectIntegrityError(v, as: "intake", ["record", "get", id, "--purpose", "where is it"], values: ["Deleted Survivor"])
            let entry = try #require(try lastEntry(v, record: id, by: "intake"))
            #expect(entry.detail["integrity"]?.contains("missing from the store") == true, "\(entry)")
            // A record that never existed is still plainly not found.
            let never = try v.haven(as: "intake", ["record", "get", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--purpose", "never"])
            #expect(never.status == 4, "\(never)")
        }

        // MARK: the audit log

        @Test func auditEntriesDeletedAndRechainedWithLaterCheckpointsRemovedAreRefused() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Chain Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            for i in 0..<3 { try v.expectOK(as: "police", ["record", "get", id, "--purpose", "read \(i)"]) }
            for i in 0..<3 { try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review \(i)"]) }
            v.stop()
            // Every trace of police removed; the rest renumbered and re-linked, exactly as
            // canonical entries, with their hashes and tiles recomputed; every checkpoint but
            // the first deleted. Only the entry tags cannot be recomputed without the root key.
            try v.withDatabase { db in
                var kept = [(entry: AuditEntry, mac: [UInt8]?)]()
                let s = try db.statement("SELECT entry, mac FROM audit_entries ORDER BY seq")
                while try s.step() {
                    let e = try AuditEntry(canonicalBytes: s.blob(0))
                    if e.event.actor?.user != "police" && e.event.detail["user"] != "police" { kept.append((e, s.optionalBlob(1))) }
                }
                try db.execute("DELETE FROM audit_entries; DELETE FROM audit_subtrees;")
                try db.execute("DELETE FROM audit_checkpoints WHERE id <> (SELECT MIN(id) FROM audit_checkpoints)")
                var previous = [UInt8](repeating: 0, count: 32)
                for (seq, k) in kept.enumerated() {
                    let bytes = AuditEntry(seq: UInt64(seq), time: k.entry.time, previousLeafHash: previous, event: k.entry.event)
                        .canonicalBytes()
                    previous = MerkleHash.leaf(bytes)
                    try db.statement("""
                        INSERT INTO audit_entries (seq, entry, leaf_hash, time, action, user, record, decision, break_glass, mac)
                        VALUES (?, ?, ?, 0, ?, ?, ?, ?, 0, ?)
                        """).bind(1, Int64(seq)).bind(2, blob: bytes).bind(3, blob: previous).bind(4, k.entry.event.action)
                        .bind(5, k.entry.event.actor?.user).bind(6, k.entry.event.record).bind(7, k.entry.event.decision.rawValue)
                        .bind(8, blob: k.mac ?? []).run()
                }
            }
            try expectRefusedStart(v, "its tag does not verify under the vault's root key")
            // Not even the damaged-log override serves a vault whose rows of access no longer match it.
            let forced = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy,
                                                            "--allow-damaged-audit-log"], timeout: 30)
            #expect(forced.status == 1 && forced.stderr.contains("refusing to start: table "), "\(forced)")
        }

        @Test func signedEntriesEditedAndARowAppendedAreRefused() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Edited Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review"])
            v.stop()  // the final checkpoint signs every entry
            try v.withDatabase { db in
                let count = try AuditTable.count(on: db)
                // A signed denial rewritten as an allow, with its stored hash and the next link fixed.
                let target: UInt64 = 5
                let e = try AuditEntry(canonicalBytes: try AuditTable.entry(seq: target, on: db)!)
                var event = e.event
                event.purpose = "rewritten"
                let edited = AuditEntry(seq: target, time: e.time, previousLeafHash: e.previousLeafHash, event: event).canonicalBytes()
                try db.statement("UPDATE audit_entries SET entry = ?, leaf_hash = ? WHERE seq = ?")
                    .bind(1, blob: edited).bind(2, blob: MerkleHash.leaf(edited)).bind(3, Int64(target)).run()
                // One more row after the last, correctly linked.
                let last = try AuditEntry(canonicalBytes: try AuditTable.entry(seq: count - 1, on: db)!)
                let lastLeaf = MerkleHash.leaf(last.canonicalBytes())
                let appended = AuditEntry(seq: count, time: last.time, previousLeafHash: lastLeaf,
                                          event: AuditEvent(action: "daemon.stop", decision: .allow, rule: "daemon stopped"))
                    .canonicalBytes()
                try AuditTable.append(seq: count, entry: appended, leafHash: MerkleHash.leaf(appended),
                                      index: AuditIndex(time: 0, action: "daemon.stop", user: nil, record: nil, decision: "allow",
                                                        breakGlass: false), on: db)
            }
            try expectRefusedStart(v, "seq 5: altered")
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.stderr.contains("more)"), "the appended row is reported too: \(r)")
        }

        // MARK: the whole vault

        @Test func aDataDirectoryReplacedByAnOlderCopyIsRefusedWhileTheAnchorIsKept() throws {
            let v = try TestVault()
            let anchor = v.root + "/anchor.json"
            v.stop()
            // The anchor inside the data directory would be replaced with it: refused.
            let inside = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy,
                                                            "--anchor", v.data + "/anchor.json"], timeout: 30)
            #expect(inside.status == 1 && inside.stderr.contains("is inside the data directory"), "\(inside)")

            // Created explicitly, before anything is served.
            try v.start(extraArguments: ["--anchor", anchor, "--create-anchor"])
            #expect(FileManager.default.fileExists(atPath: anchor))
            let id = try v.createRecord(["survivor_name": "Anchor Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            v.stop()
            let older = v.root + "/older"
            try FileManager.default.copyItem(atPath: v.data, toPath: older)

            try v.start(extraArguments: ["--anchor", anchor])
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            v.stop()
            try FileManager.default.removeItem(atPath: v.data)
            try FileManager.default.moveItem(atPath: older, toPath: v.data)

            try expectRefusedStart(v, "this data directory is older than its anchor (rolled back)", extra: ["--anchor", anchor])
            // Without the anchor the older copy is consistent, and would serve: what the anchor is for.
            try v.start()
            let consent = try v.expectOK(as: "intake", ["consent", "show", id])
            #expect(consent.stdout.contains("police"))
        }

        @Test func anAnchorOfAnotherVaultIsRefused() throws {
            let v = try TestVault(enrol: false)
            let anchor = v.root + "/anchor.json"
            let other = try TestVault(enrol: false)
            other.stop()
            try other.start(extraArguments: ["--anchor", anchor, "--create-anchor"])
            other.stop()
            v.stop()
            try expectRefusedStart(v, "is not a checkpoint signed by this vault", extra: ["--anchor", anchor])
        }
    }
}

/// Reads the raw public key out of a public key file written by `haven key generate`.
enum KeyFileFormatTest {
    static func publicKeyBytes(_ path: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("haven-ed25519-public-v1:") }),
              let bytes = Data(base64Encoded: String(line.dropFirst("haven-ed25519-public-v1:".count))) else {
            throw TestFailure("no public key in \(path)")
        }
        return [UInt8](bytes)
    }
}
