import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenStore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The anchor fails closed (SECURITY.md, "Rollback and the anchor"): someone who can
    /// replace files — the anchor with the weekly copy on the backup drive, the data directory
    /// with an older copy, the anchor's volume unmounted — gets a refused start or refused
    /// changes, never a vault that serves an undone "no". Real havend, real haven, real files.
    @Suite struct AnchorTests {
        /// Runs havend on `v` (with its daemon arguments) and `extra`, and expects one line on stderr naming `finding`.
        @discardableResult
        func expectRefused(_ v: TestVault, _ extra: [String], _ finding: String, status: Int32 = 1) throws -> CommandResult {
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy] + v.daemonArguments + extra,
                                    timeout: 30)
            #expect(r.status == status, "\(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
            #expect(r.stderr.contains(finding), "expected '\(finding)': \(r)")
            #expect(!FileManager.default.fileExists(atPath: v.socket), "no socket may be served")
            return r
        }

        func status(_ v: TestVault) throws -> SessionResponse {
            try v.json(SessionResponse.self, as: "admin", ["status", "--json"])
        }

        @Test func aMissingAnchorRefusesTheStartAndTheFirstIsCreatedOnlyExplicitly() throws {
            let v = try TestVault()
            v.stop()
            let anchor = v.root + "/anchor.json"
            let missing = try expectRefused(v, ["--anchor", anchor], "refusing to start: the anchor \(anchor) is missing")
            #expect(missing.stderr.contains("--create-anchor"), "says what to do: \(missing)")
            #expect(!FileManager.default.fileExists(atPath: anchor), "never made silently")
            let usage = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy, "--create-anchor"])
            #expect(usage.status == 2 && usage.stderr.contains("--create-anchor needs --anchor"), "\(usage)")

            try v.start(extraArguments: ["--anchor", anchor, "--create-anchor"])
            #expect(FileManager.default.fileExists(atPath: anchor), "written before serving")
            let s = try status(v)
            #expect(s.anchor?.configured == true && s.anchor?.state == "ok" && s.anchor?.file == anchor, "\(s)")
            // The start's own checkpoint is anchored just after it is answered: the anchor holds it or the one before.
            #expect((s.anchor?.size ?? 0) > 0 && (s.anchor?.size ?? 0) <= (s.auditLog?.checkpointSize ?? 0), "\(s)")
            #expect(s.release == HavenRelease.version && s.sealed == false && (s.auditLog?.size ?? 0) > 0, "\(s)")
            let human = try v.expectOK(as: "admin", ["status"]).stdout
            #expect(human.contains("anchor  \(anchor): ok, holds the checkpoint at") && human.contains("release \(HavenRelease.version)"),
                    "\(human)")
            #expect(human.contains("last checkpoint at"), "\(human)")
            // Where the witness lives and how busy the log is are for those who run or audit the vault.
            let intake = try v.json(SessionResponse.self, as: "intake", ["status", "--json"])
            #expect(intake.anchor == nil && intake.auditLog == nil && intake.release == HavenRelease.version, "\(intake)")
            let starts = try v.auditLog(["--limit", "1000"]).filter { $0.action == "daemon.start" }
            #expect(starts.last?.detail["anchor"] == "created", "the creation is in the log")
            v.stop()

            try expectRefused(v, ["--anchor", anchor, "--create-anchor"], "refusing --create-anchor: the anchor \(anchor) already exists")
            try v.start(extraArguments: ["--anchor", anchor])
            #expect(try status(v).anchor?.state == "ok")
        }

        @Test func aMissingAnchorDirectoryRefusesTheStart() throws {
            let v = try TestVault(enrol: false)
            v.stop()
            let anchor = v.root + "/usb/anchor.json"  // a volume not mounted
            for extra in [["--anchor", anchor], ["--anchor", anchor, "--create-anchor"]] {
                try expectRefused(v, extra, "refusing to start: the directory of the anchor \(anchor) does not exist")
            }
        }

        /// Root writes any directory but one on a read-only filesystem (here /proc/sys, as
        /// containers mount it); anyone else, one without write permission.
        static let readOnlyForRoot = access("/proc/sys", W_OK) != 0

        @Test(.enabled(if: getuid() != 0 || readOnlyForRoot, "root here can write every directory"))
        func anUnwritableAnchorDirectoryRefusesTheStart() throws {
            let v = try TestVault(enrol: false)
            v.stop()
            if getuid() == 0 {
                for extra in [["--anchor", "/proc/sys/anchor.json"], ["--anchor", "/proc/sys/anchor.json", "--create-anchor"]] {
                    try expectRefused(v, extra, "refusing to start: the directory of the anchor /proc/sys/anchor.json is not writable")
                }
                return
            }
            let usb = v.root + "/usb"
            try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: false)
            try v.start(extraArguments: ["--anchor", usb + "/anchor.json", "--create-anchor"])
            v.stop()
            chmod(usb, 0o500)
            defer { chmod(usb, 0o700) }
            try expectRefused(v, ["--anchor", usb + "/anchor.json"], "is not writable")
        }

        /// The attack of issue 31: the data directory put back as it was on Tuesday and the
        /// anchor as the weekly copy from Monday, after a withdrawal on Wednesday.
        @Test func anOlderAnchorCopyIsRefusedNamingBothSizes() throws {
            let usb = try Self.volume()
            defer { try? FileManager.default.removeItem(atPath: usb) }
            let file = usb + "/anchor.json"
            let v = try TestVault(start: false, daemonArguments: ["--anchor", file])
            try v.start(extraArguments: ["--create-anchor"])
            let id = try v.createRecord(["survivor_name": "Anchored Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            v.stop()
            let weekly = v.root + "/weekly-anchor.json"
            try FileManager.default.copyItem(atPath: file, toPath: weekly)

            try v.start()
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review"])
            v.stop()
            let tuesday = v.root + "/tuesday"
            try FileManager.default.copyItem(atPath: v.data, toPath: tuesday)
            try v.start()
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            v.stop()
            let current = try status(of: file)

            // The weekly anchor with the current directory, then with Tuesday's: both refused.
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.copyItem(atPath: weekly, toPath: file)
            let weeklySize = try status(of: file)
            var r = try expectRefused(v, [], "refusing to start: the anchor \(file) holds a checkpoint of \(weeklySize)")
            #expect(r.stderr.contains("older than the checkpoint of \(current) this data directory last wrote to it"), "\(r)")
            try FileManager.default.removeItem(atPath: v.data)
            try FileManager.default.moveItem(atPath: tuesday, toPath: v.data)
            r = try expectRefused(v, [], "older than the checkpoint of")
            #expect(r.stderr.contains("an older copy of the anchor"), "\(r)")
        }

        @Test func aForgedMarkIsRefusedAndADeletedOneStillKeepsAnOlderAnchorOut() throws {
            let usb = try Self.volume()
            defer { try? FileManager.default.removeItem(atPath: usb) }
            let file = usb + "/anchor.json"
            let v = try TestVault(start: false, daemonArguments: ["--anchor", file])
            try v.start(extraArguments: ["--create-anchor"])
            v.stop()
            let weekly = v.root + "/weekly-anchor.json"
            try FileManager.default.copyItem(atPath: file, toPath: weekly)
            let lagging = try v.withDatabase { db in try VaultMetaTable.anchored(on: db) }
            for _ in 0..<2 {
                try v.start()
                v.stop()
            }
            // A mark behind the anchor (a crash between the anchor's write and the mark's) is accepted.
            try v.withDatabase { db in try VaultMetaTable.setAnchored(try #require(lagging), on: db) }
            try v.start()
            v.stop()

            let latest = v.root + "/latest-anchor.json"
            try FileManager.default.moveItem(atPath: file, toPath: latest)
            try FileManager.default.copyItem(atPath: weekly, toPath: file)
            // The mark lowered to fit the weekly copy, its signature kept: refused.
            let forged = try v.withDatabase { db -> [UInt8] in
                var mark = try #require(try VaultMetaTable.anchored(on: db))
                for i in 0..<8 { mark[i] = 0 }
                try VaultMetaTable.setAnchored(mark, on: db)
                return mark
            }
            #expect(forged.count == 72)
            try expectRefused(v, [], "vault_meta 'anchored' is not signed by this vault")
            // Deleted: the anchor must then hold one of the log's last two checkpoints.
            try v.withDatabase { db in try db.execute("DELETE FROM vault_meta WHERE key = 'anchored'") }
            try expectRefused(v, [], "older than the audit log's last two checkpoints")
            // With no mark (as a vault of an earlier release) the latest anchor serves, and is marked again.
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: latest, toPath: file)
            try v.start()
            v.stop()
            #expect(try v.withDatabase { db in try VaultMetaTable.anchored(on: db) } != nil)
        }

        @Test func anAnchorThatCannotBeWrittenWhileServingRefusesChangesUntilItCanBe() throws {
            let usb = try Self.volume()
            defer { try? FileManager.default.removeItem(atPath: usb) }
            let file = usb + "/anchor.json"
            let v = try TestVault(start: false, daemonArguments: ["--anchor", file])
            try v.start(extraArguments: ["--create-anchor"])
            let id = try v.createRecord(["survivor_name": "Unmounted Survivor", "incident_type": "rape"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let held = try status(of: file)

            // The volume goes away while the daemon serves: the next change is refused at once,
            // and the next checkpoint cannot be anchored.
            try FileManager.default.moveItem(atPath: usb, toPath: usb + ".away")
            let first = try v.haven(as: "intake", ["consent", "withdraw", id, "police"])
            #expect(first.status == 5 && first.stderr.contains("anchor_unavailable") && first.stderr.contains("missing"), "\(first)")
            try v.expectOK(as: "auditor", ["audit", "checkpoint"])
            let failing = try status(v)
            #expect(failing.anchor?.state == "failing" && failing.anchor?.error != nil && failing.anchor?.size == held, "\(failing)")
            #expect(try v.expectOK(as: "admin", ["status"]).stdout.contains("FAILING"))
            let refused = try v.haven(as: "intake", ["consent", "withdraw", id, "police"])
            #expect(refused.status == 5 && refused.stderr.contains("anchor_unavailable"), "\(refused)")
            let json = try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=New", "--field", "incident_type=rape", "--json"])
            #expect(json.status == 5 && json.stderr.contains("anchor_unavailable") && json.stderr.hasPrefix("{"), "\(json)")
            // Reads go on, and each refusal is in the log.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review"])
            let refusals = try v.auditLog(["--limit", "1000"]).filter { $0.outcome == "anchor_unavailable" }
            #expect(refusals.count == 3, "\(refusals)")

            // Back: the next change tries the anchor again first, and goes through.
            try FileManager.default.moveItem(atPath: usb + ".away", toPath: usb)
            try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
            let back = try status(v)
            #expect(back.anchor?.state == "ok" && (back.anchor?.size ?? 0) > held, "\(back)")
            // An empty directory where the volume was (unmounted under the daemon) gets no new
            // anchor, which would hide the real one: refused as missing.
            try FileManager.default.moveItem(atPath: usb, toPath: usb + ".away")
            try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: false)
            try v.expectOK(as: "auditor", ["audit", "checkpoint"])
            #expect(try v.haven(as: "intake", ["consent", "grant", id, "legal"]).status == 5)
            #expect(!FileManager.default.fileExists(atPath: file))
            try FileManager.default.removeItem(atPath: usb)
            try FileManager.default.moveItem(atPath: usb + ".away", toPath: usb)
            try v.expectOK(as: "intake", ["consent", "grant", id, "legal"])

            // Gone again through the stop: the log's last checkpoints are past the anchor, which
            // still holds what the directory last anchored (as after a crash between a
            // checkpoint's commit and its anchor): the start accepts it.
            try FileManager.default.moveItem(atPath: usb, toPath: usb + ".away")
            try v.expectOK(as: "auditor", ["audit", "checkpoint"])
            v.stop()
            try FileManager.default.moveItem(atPath: usb + ".away", toPath: usb)
            try v.start()
            let restarted = try status(v)
            #expect(restarted.anchor?.state == "ok" && (restarted.anchor?.size ?? 0) >= (back.anchor?.size ?? 0), "\(restarted)")
        }

        /// `--create-anchor` makes the first anchor only: the same daemon, sealed and unsealed
        /// again after the anchor's volume went away, refuses to open rather than make a new
        /// anchor on whatever is mounted there now.
        @Test func creatingTheAnchorHoldsForTheFirstOpenOnly() throws {
            let passphrase = try SealTests.passphraseFile("correct horse battery staple")
            let usb = try Self.volume()
            defer {
                unlink(passphrase)
                try? FileManager.default.removeItem(atPath: usb)
            }
            let file = usb + "/anchor.json"
            let v = try TestVault(enrol: false, start: false, daemonArguments: ["--anchor", file],
                                  initArguments: ["--seal", "passphrase", "--passphrase-file", passphrase])
            try v.start(extraArguments: ["--create-anchor"])
            try v.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", passphrase])
            #expect(FileManager.default.fileExists(atPath: file), "made at the first unseal")
            try v.enrolStandardUsers()
            try v.expectOK(as: "admin", ["operator", "seal"])

            try FileManager.default.removeItem(atPath: file)
            let again = try v.haven(as: nil, ["operator", "unseal", "--passphrase-file", passphrase])
            #expect(again.status != 0 && again.stderr.contains("anchor") && again.stderr.contains("missing"), "\(again)")
            #expect(!FileManager.default.fileExists(atPath: file), "never made again by the same daemon")
            #expect(try SealTests.sealStatus(v).sealed)
        }

        /// A directory standing for the anchor's volume, outside every test vault.
        static func volume() throws -> String {
            let path = "/tmp/hv-usb-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return path
        }

        /// The size of the checkpoint an anchor file holds.
        func status(of anchor: String) throws -> UInt64 {
            let o = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: anchor))) as? [String: Any]
            return try #require((o?["size"] as? NSNumber)?.uint64Value)
        }
    }
}
