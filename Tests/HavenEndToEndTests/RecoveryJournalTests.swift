import Foundation
import HavenAPI
import HavenCore
import HavenCrypto
import HavenStore
import HavenTestSupport
import HavenVault
import Testing

extension EndToEnd {
    /// The restore drill across every "no", with the real binaries: last week's archive is
    /// restored with the anchor and its journal, and the consent withdrawn since stays
    /// withdrawn, the leaver stays out, the replaced key opens nothing, the revoked referral
    /// cannot be accepted and the erased record stays erased; an archive older than the
    /// anchor is refused until the loss is confirmed, which the output then counts; and a
    /// journal with a line removed, edited or from another vault is refused.
    @Suite struct RecoveryJournalTests {
        static let shelter = "lwu-shelter-vientiane"

        /// The vault's anchor files copied into a drill directory of their own, as the README's
        /// weekly copy does (`cp anchor.json* …`).
        static func copyAnchor(_ anchor: String, into dir: String) throws -> String {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for suffix in ["", ".journal", ".tally"] {
                try FileManager.default.copyItem(atPath: anchor + suffix, toPath: dir + "/anchor.json" + suffix)
            }
            return dir + "/anchor.json"
        }

        static func restore(_ v: TestVault, _ archive: String, into data: String, anchor: String, _ extra: [String] = []) throws -> CommandResult {
            try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", data, "--root-key", v.data + "/root.key",
                                              "--vault-key", v.data + "/vault.pub", "--anchor", anchor, "--policy", v.policy] + extra)
        }

        static func lines(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        static func write(_ lines: [String], to path: String) throws {
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        }

        @Test func aRestoreAcrossEveryNoKeepsEachOne() throws {
            let anchor = BackupTests.anchorPath()
            defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
            let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
            try v.start(extraArguments: ["--create-anchor"])
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            try v.enrol("leaver", role: "counsellor", agency: "ossc-vientiane")
            let id = try v.createRecord(["survivor_name": "Drill Survivor", "incident_type": "physical_assault"], assign: ["counsellor"])
            let erased = try v.createRecord(["survivor_name": "Erased Later", "incident_type": "rape"])
            for flag in ["police", "shelter", "counselling"] { try v.expectOK(as: "intake", ["consent", "grant", id, flag]) }
            // Withdrawn before the archive: the archive holds it; not applied again.
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "counselling"])
            let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                    "--purpose", "shelter placement requested"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"]).status == 0)
            let archive = v.root + "/last-week.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])

            // The week since: every kind of "no", and some work that the archive lacks.
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            // Withdrawn again: the archive has it withdrawn already, so the restore changes nothing for it.
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "counselling"])
            try v.expectOK(as: "admin", ["user", "revoke", "leaver"])
            try v.newKey("counsellor-new")
            try v.expectOK(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("counsellor-new") + ".pub"])
            try v.expectOK(as: "intake", ["referral", "revoke", ref, "--reason", "survivor asked to stop"])
            try v.expectOK(as: "intake", ["record", "erase", erased, "--reason", "survivor_request"])
            let lost = try v.createRecord(["survivor_name": "Made After", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", lost, "shelter"])
            _ = v.stop()
            let journal = try Self.lines(anchor + ".journal")
            #expect(journal.count == 8 && journal[0].hasPrefix("haven-journal-v1 "), "\(journal)")
            #expect(journal.dropFirst().map { String($0.split(separator: " ")[0]) }
                == ["consent-withdrawn", "consent-withdrawn", "consent-withdrawn", "user-revoked", "user-rekeyed", "referral-revoked",
                    "record-erased"])
            #expect(!journal.joined().contains("Drill Survivor"))

            // Refused without the flag, and nothing is written.
            let drillAnchor = try Self.copyAnchor(anchor, into: v.root + "/drill")
            let restored = try TestVault(enrol: false, start: false, distinct: true)
            let (socket, target) = (restored.socket, restored.data)
            try FileManager.default.removeItem(atPath: target)
            let refused = try Self.restore(v, archive, into: target, anchor: drillAnchor)
            #expect(refused.status == 1 && refused.stderr.contains("would be lost (records created 1, updates 0, notes 0, consent grants 1")
                    && refused.stderr.contains("--accept-loss"),
                    "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: target + "/haven.db"))

            // With it: what was lost, and what was applied again, by count.
            let r = try Self.restore(v, archive, into: target, anchor: drillAnchor, ["--accept-loss"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("lost since the archive: records created 1, updates 0, notes 0, consent grants 1, referrals 0, users enrolled 0"),
                    "\(r.stdout)")
            #expect(r.stdout.contains("applied again from the journal: consent withdrawn 1, user revoked 1, key replaced 1, "
                                      + "referral revoked 1, referral closed 0, referral declined 0, record erased 1; 1 changed nothing"), "\(r.stdout)")

            try restored.start(extraArguments: ["--root-key", v.data + "/root.key", "--anchor", drillAnchor])
            func run(as user: String, _ args: [String]) throws -> CommandResult {
                try Command.run(TestVault.haven, args + ["--socket", socket, "--key", v.keyPath(user)])
            }
            let police = try run(as: "police", ["record", "get", id, "--purpose", "investigation"])
            #expect(police.status == 3 && police.stderr.contains("consent:police"), "the withdrawn consent stays withdrawn: \(police)")
            let leaver = try run(as: "leaver", ["record", "list"])
            #expect(leaver.status == 3, "the leaver stays out: \(leaver)")
            let oldKey = try run(as: "counsellor", ["record", "list"])
            #expect(oldKey.status == 3 && oldKey.stderr.contains("authentication_failed"), "the old key opens no session: \(oldKey)")
            #expect(try run(as: "counsellor-new", ["record", "list"]).status == 0)
            let accept = try run(as: "shelter-intake", ["referral", "accept", ref])
            #expect(accept.status != 0, "the revoked referral cannot be accepted: \(accept)")
            #expect(try run(as: "shelter-intake", ["record", "get", id, "--purpose", "shelter"]).status != 0)
            #expect(try run(as: "intake", ["record", "get", erased, "--purpose", "drill"]).status == 4)
            #expect(try run(as: "intake", ["record", "get", lost, "--purpose", "drill"]).status == 4, "made after the archive: lost")
            let entries = try run(as: "auditor", ["audit", "log", "--oldest-first", "--limit", "5000", "--json"])
            let log = try JSONDecoder().decode(AuditLogResponse.self, from: Data(entries.stdout.utf8)).entries
            let again = log.filter { $0.detail["reapplied"] == "restore" }
            #expect(again.map(\.action) == ["consent.record", "consent.record", "user.revoke", "user.rekey", "referral.revoke", "record.erase"],
                    "\(again.map(\.action))")
            #expect(again.map(\.outcome) == ["ok", "already", "ok", "ok", "ok", "ok"])
            #expect(again.map { $0.detail["original_by"] } == ["intake", "intake", "admin", "admin", "intake", "intake"])
            #expect(try run(as: "auditor", ["audit", "verify"]).status == 0)

            // The survivor consents again in the restored vault, which is backed up; a later
            // restore of that archive keeps her "yes": the journal's acts are all older than it.
            #expect(try run(as: "intake", ["consent", "grant", id, "police"]).status == 0)
            let second = v.root + "/after-restore.hvbk"
            #expect(try run(as: "admin", ["backup", "create", "--out", second]).status == 0)
            _ = restored.stop()
            let later = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: later.data)
            let again2 = try Self.restore(v, second, into: later.data, anchor: try Self.copyAnchor(drillAnchor, into: v.root + "/drill-2"),
                                          ["--accept-loss"])
            #expect(again2.status == 0 && again2.stdout.contains("consent withdrawn 0, user revoked 0, key replaced 0, referral revoked 0, "
                                                                 + "referral closed 0, referral declined 0, record erased 0"), "\(again2)")
            try later.start(extraArguments: ["--root-key", v.data + "/root.key"])
            let readAgain = try Command.run(TestVault.haven, ["record", "get", id, "--purpose", "investigation", "--socket", later.socket,
                                                              "--key", v.keyPath("police")])
            #expect(readAgain.status == 0, "the consent granted after the first restore holds: \(readAgain)")
            _ = later.stop()
        }

        @Test func aDamagedJournalIsRefusedWhole() throws {
            let anchor = BackupTests.anchorPath()
            defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
            let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
            try v.start(extraArguments: ["--create-anchor"])
            try v.enrol("leaver", role: "counsellor", agency: "ossc-vientiane")
            try v.enrol("second", role: "counsellor", agency: "ossc-vientiane")
            let id = try v.createRecord(["survivor_name": "Tamper Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let archive = v.root + "/vault.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            try v.expectOK(as: "admin", ["user", "revoke", "leaver"])
            try v.expectOK(as: "admin", ["user", "revoke", "second"])
            _ = v.stop()
            let original = try Self.lines(anchor + ".journal")
            #expect(original.count == 4, "\(original)")

            // A line from another vault: genuine there, signed by its own key.
            let foreign = v.root + "/foreign.json"
            let act = RecoveryAct(.userRevoked(try UserName("leaver")), when: Timestamp(millisecondsSinceEpoch: 1), by: try UserName("admin"), seq: 9)
            try RecoveryJournal(anchor: AnchorFile(path: foreign)).append(act, vault: VaultID(bytes: Random.bytes(16)), signer: .generate())
            let alien = try Self.lines(foreign + ".journal")[1]

            var edited = original
            edited[2] = edited[2].replacingOccurrences(of: " leaver ", with: " second ")
            var cut = original
            cut.removeLast()
            let cases: [(String, [String], String)] = [
                ("a line removed from the middle", Array(original[0...1] + original[3...]), "line 3: the line it followed is not the line before it"),
                ("a line edited", edited, "line 3: not signed by this vault's key"),
                ("a line from another vault", original + [alien], "line 5: not signed by this vault's key"),
                ("the last line removed", cut, "lines were removed from its end"),
            ]
            for (n, (what, lines, message)) in cases.enumerated() {
                let drill = v.root + "/drill-\(n)"
                let drillAnchor = try Self.copyAnchor(anchor, into: drill)
                try Self.write(lines, to: drillAnchor + ".journal")
                let r = try Self.restore(v, archive, into: drill + "/vault", anchor: drillAnchor, ["--accept-loss"])
                #expect(r.status == 1 && r.stderr.contains(message), "\(what): \(r)")
                #expect(!FileManager.default.fileExists(atPath: drill + "/vault/haven.db"), "\(what): nothing is written")
            }
            // Intact, it restores.
            let drill = v.root + "/drill-ok"
            let r = try Self.restore(v, archive, into: drill + "/vault", anchor: try Self.copyAnchor(anchor, into: drill), ["--accept-loss", "--json"])
            #expect(r.status == 0 && r.stdout.contains(#""user_revoked":2"#) && r.stdout.contains(#""consent_withdrawn":1"#), "\(r)")
        }

        /// An anchor directory of the previous release: an erasure list (`anchor.json.erasures`)
        /// and no journal. Its erasures are applied again, as before.
        @Test func thePreviousErasureListStillRestores() throws {
            let anchor = BackupTests.anchorPath()
            defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
            let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
            try v.start(extraArguments: ["--create-anchor"])
            let id = try v.createRecord(["survivor_name": "Listed Erasure", "incident_type": "rape"])
            let archive = v.root + "/vault.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
            try v.expectOK(as: "intake", ["record", "erase", id, "--reason", "survivor_request"])
            _ = v.stop()
            // The line as 0.18 wrote it, signed by the vault's own key.
            let db = try Connection(path: v.data + "/haven.db", mode: .readOnly)
            let meta = try VaultMetaTable.read(on: db)
            let root = try RootKey(material: try KeyFiles.readSecret(kind: .rootKey, path: v.data + "/root.key"))
            let keys = try VaultKeys.open(root: root, meta: meta, what: "the root key")
            let ms = SystemClock().now().millisecondsSinceEpoch
            let signature = keys.signingKey.sign(Array("haven-erasure-v1\n\(meta.vaultID)\n\(id)\n\(ms)\nintake\n".utf8))
            let drill = v.root + "/drill"
            let drillAnchor = try Self.copyAnchor(anchor, into: drill)
            unlink(drillAnchor + ".journal")
            unlink(drillAnchor + ".tally")
            try Self.write(["\(id) \(ms) intake \(Base64.encode(signature))"], to: drillAnchor + ".erasures")
            // 0.18 made no journal nor tally: refused until the operator says so (the list is
            // still applied), as a journal deleted would be.
            let refused = try Self.restore(v, archive, into: drill + "/vault", anchor: drillAnchor, ["--accept-loss"])
            #expect(refused.status == 1 && refused.stderr.contains("--without-journal"), "\(refused)")
            let r = try Self.restore(v, archive, into: drill + "/vault", anchor: drillAnchor, ["--accept-loss", "--without-journal", "--json"])
            #expect(r.status == 0, "\(r)")
            let answer = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(answer?["erased_again"] as? [String] == [id] && answer?["lost"] is NSNull, "\(r.stdout)")
        }

        /// The journal cannot be written after the act committed: the act is in force, and
        /// the caller hears an error saying a restore would undo it — never a quiet success.
        @Test func anActThatCannotBeJournaledIsNotAnsweredAsDone() throws {
            let anchor = BackupTests.anchorPath()
            defer {
                rmdir(anchor + ".journal")
                for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) }
            }
            let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
            try v.start(extraArguments: ["--create-anchor"])
            let id = try v.createRecord(["survivor_name": "Unjournaled", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            unlink(anchor + ".journal")
            try FileManager.default.createDirectory(atPath: anchor + ".journal", withIntermediateDirectories: false)
            let r = try v.haven(as: "intake", ["consent", "withdraw", id, "police"])
            #expect(r.status == 1 && r.stderr.contains("is in force, but could not be written to the recovery journal"), "\(r)")
            let police = try v.haven(as: "police", ["record", "get", id, "--purpose", "investigation"])
            #expect(police.status == 3, "the withdrawal holds in this vault: \(police)")
            #expect(v.daemonLog.contains("could not be written to the recovery journal"))
            _ = v.stop()
        }
    }
}
