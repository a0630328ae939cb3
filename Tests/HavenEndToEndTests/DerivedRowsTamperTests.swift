import Foundation
import HavenAPI
import HavenAudit
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Someone who can write the stopped vault's files but holds no root key edits the rows
    /// the vault derives from what it authenticates: the columns the audit table copies from
    /// each entry (what `audit log` filters and `audit summary` count by), a case's
    /// assignment rows and a record's search-index rows. Each edit is named, at start or by
    /// `audit verify`, and none is honoured (SECURITY.md, "someone who can write the files").
    @Suite struct DerivedRowsTamperTests {
        static let glassReason = "caller says she is locked in, needs address"

        /// A record read by its counsellor, refused to the police and read once under break-glass.
        static func history(_ v: TestVault) throws -> (record: String, glass: UInt64, refusal: UInt64) {
            let id = try v.createRecord(["survivor_name": "Index Edit Survivor", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "weekly session"])
            _ = try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"])
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            try v.expectOK(as: "counsellor2", ["record", "get", id, "--purpose", "hotline call", "--break-glass", glassReason])
            let entries = try v.auditLog(["--record", id, "--limit", "1000"])
            let glass = try #require(entries.first { $0.breakGlass != nil })
            let refusal = try #require(entries.first { $0.actor?.user == "police" && $0.decision == "deny" })
            return (id, glass.seq, refusal.seq)
        }

        /// Hides the break-glass read (no flag, dated 1970, on the intake worker) and the
        /// refusal (allowed, its user a blob: the same bytes, which no filter by user matches).
        static func hide(_ v: TestVault, glass: UInt64, refusal: UInt64) throws {
            try v.execute("UPDATE audit_entries SET break_glass = 0, user = 'intake', time = 0 WHERE seq = ?", [Int(glass)])
            try v.execute("UPDATE audit_entries SET decision = 'allow', user = CAST(user AS BLOB) WHERE seq = ?", [Int(refusal)])
        }

        static func entries(_ v: TestVault, _ action: String) throws -> [AuditEntryView] {
            try v.auditLog(["--limit", "5000"]).filter { $0.action == action }
        }

        func summary(_ v: TestVault) throws -> [String: AuditSummaryResponse.User] {
            let s = try v.json(AuditSummaryResponse.self, as: "auditor", ["audit", "summary", "--since", "2020-01-01"])
            return Dictionary(s.users.map { ($0.user, $0) }) { a, _ in a }
        }

        @Test func auditIndexEditsAreRefusedAtStartAndUndoneWhenServedAnyway() throws {
            let v = try TestVault()
            let (_, glass, refusal) = try Self.history(v)
            v.stop()
            try Self.hide(v, glass: glass, refusal: refusal)

            // As any other damage to the log: the start is refused, in one line naming the entry.
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r)")
            let first = min(glass, refusal)
            #expect(r.stderr.hasPrefix("havend: refusing to start: seq \(first): table audit_entries, column"), "\(r)")
            #expect(r.stderr.contains("(and 1 more)"), "\(r)")
            #expect(!FileManager.default.fileExists(atPath: v.socket))

            // Served anyway, the columns say again what the entries say: nothing stays hidden.
            try v.start(extraArguments: ["--allow-damaged-audit-log"])
            let glassEntries = try v.auditLog(["--break-glass", "--since", "2020-01-01", "--user", "counsellor2"])
            #expect(glassEntries.map(\.seq) == [glass] && glassEntries.first?.breakGlass == Self.glassReason, "\(glassEntries)")
            let denied = try v.auditLog(["--denied", "--user", "police"])
            #expect(denied.map(\.seq).contains(refusal), "\(denied)")
            let users = try summary(v)
            #expect(users["counsellor2"]?.breakGlass == 1 && users["intake"]?.breakGlass == 0, "\(users)")
            #expect(users["police"]?.denied ?? 0 >= 1, "\(users)")
            // The start's entry names what was found.
            let start = try #require(try Self.entries(v, "daemon.start").last)
            let check = start.detail["audit_check"] ?? ""
            // (the first, and how many more, as for any damage to the log).
            #expect(check.hasPrefix("seq \(refusal): table audit_entries, columns user, decision") && check.hasSuffix("(and 1 more)"),
                    "\(start.detail)")
            // And the log verifies again: the copies are the entries' once more.
            let verified = try v.haven(as: "auditor", ["audit", "verify"])
            #expect(verified.status == 0 && verified.stdout.hasPrefix("ok:"), "\(verified)")
        }

        @Test func auditIndexEditedWhileServingIsNamedByVerify() throws {
            let v = try TestVault()
            let (_, glass, refusal) = try Self.history(v)
            try Self.hide(v, glass: glass, refusal: refusal)
            let r = try v.haven(as: "auditor", ["audit", "verify", "--json"])
            #expect(r.status == 1, "\(r)")
            let report = try JSONDecoder().decode(VerificationReport.self, from: Data(r.stdout.utf8))
            #expect(!report.ok && report.firstBadSeq == min(glass, refusal), "\(report)")
            #expect(report.problems.contains { $0.seq == glass && $0.message.contains("columns time, user, break_glass") })
            #expect(report.problems.contains { $0.seq == refusal && $0.message.contains("columns user, decision") })
            let human = try v.haven(as: "auditor", ["audit", "verify"])
            #expect(human.status == 1 && human.stdout.hasPrefix("FAILED") && human.stdout.contains("seq \(glass): table audit_entries"))
        }

        @Test func aDeletedAssignmentRowIsNamedAtStartAndTheCaseStaysOnItsCounsellorsList() throws {
            let v = try TestVault()
            let mine = try v.createRecord(["survivor_name": "Assigned Case", "incident_type": "rape"], assign: ["counsellor"])
            let kept = try v.createRecord(["survivor_name": "Kept Case", "incident_type": "rape"], assign: ["counsellor"])
            let other = try v.createRecord(["survivor_name": "Unassigned Case", "incident_type": "rape"])
            v.stop()
            try v.execute("DELETE FROM record_assignees WHERE record_id = ?", [mine])
            try v.execute("INSERT INTO record_assignees (user, record_id) VALUES ('counsellor', ?)", [other])
            try v.start()
            let list = try v.expectOK(as: "counsellor", ["record", "list"])
            #expect(list.stdout.contains(mine) && list.stdout.contains(kept) && !list.stdout.contains(other), "\(list)")
            let repair = try #require(try Self.entries(v, "vault.repair").last)
            #expect(repair.detail["assignment_rows_missing"] == "1" && repair.detail["assignment_rows_extra"] == "1", "\(repair.detail)")
            #expect(repair.detail["records"] == "2" && repair.detail["record_ids"]?.contains(mine) == true, "\(repair.detail)")
            #expect(repair.detail["record_ids"]?.contains(kept) == false)
            #expect(v.daemonLog.contains("index rows differed from the records' sealed values"), "\(v.daemonLog.suffix(2000))")
            // Made again once: the next start finds nothing to repair.
            v.stop()
            try v.start()
            #expect(try Self.entries(v, "vault.repair").count == 1)
        }

        @Test func aDeletedReferralRowIsNamedAtStartAndTheReferralStaysInTheReceiversList() throws {
            let (v, id) = try ReferralTests.vault()
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            let ref = try ReferralTests.refer(v, id).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let incoming = { try v.json(ReferralListResponse.self, as: "shelter-intake", ["referral", "list", "--incoming"]) }
            #expect(try incoming().referrals.map(\.ref) == [ref])
            v.stop()
            try v.execute("DELETE FROM referrals WHERE id = ?", [ref])
            try v.start()
            let listed = try incoming()
            #expect(listed.referrals.map(\.ref) == [ref] && listed.unverified == 0, "\(listed)")
            let repair = try #require(try Self.entries(v, "vault.repair").last)
            #expect(repair.detail["referral_rows_missing"] == "1" && repair.detail["record_ids"] == id, "\(repair.detail)")
        }

        @Test func deletedSearchRowsAreNamedAtStartAndFindAndTheDuplicateCheckStillFindTheRecord() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Vilayvanh Phommachanh", "date_of_birth": "1995-04-12", "incident_type": "rape"])
            let moved = try v.createRecord(["survivor_name": "Khamla Souvannavong", "incident_type": "rape"])
            let find = { (name: String) in try SearchTests.find(v, as: "intake", ["--name", name]).matches.map(\.id) }
            #expect(try find("vilayvanh phommachanh") == [id])
            v.stop()
            let removed = try v.searchIndexValues(id).count
            try v.execute("DELETE FROM search_index WHERE record_id = ?", [id])
            // One row of the other record altered: it names it under a value its name does not make.
            try v.execute("""
                UPDATE search_index SET value = value + 1
                WHERE record_id = ?1 AND value = (SELECT MIN(value) FROM search_index WHERE record_id = ?1)
                """, [moved])
            try v.start()
            #expect(try find("vilayvanh phommachanh") == [id])
            #expect(try find("khamla souvannavong") == [moved])
            let again = try v.json(RecordWriteResponse.self, as: "intake", [
                "record", "create", "--type", "gbv_incident", "--field", "survivor_name=Vilayvanh Phommachanh",
                "--field", "date_of_birth=1995-04-12", "--field", "incident_type=rape", "--json"])
            #expect(again.possibleDuplicates?.records.map(\.id) == [id], "\(again)")
            let repair = try #require(try Self.entries(v, "vault.repair").last)
            #expect(repair.detail["search_rows_missing"] == String(removed + 1) && repair.detail["search_rows_extra"] == "1",
                    "\(repair.detail)")
            #expect(repair.detail["records"] == "2" && repair.detail["assignment_rows_missing"] == "0", "\(repair.detail)")
        }
    }
}
