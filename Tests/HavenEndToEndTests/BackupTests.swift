import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Backups of a serving vault and restore drills, with the real binaries: the archive is
    /// taken under load, verified offline, refused when one byte changes, and restored into
    /// a new directory that serves every acknowledged record, verifies its log, re-applies
    /// the erasures made since, and shuts the vault it came from out of its anchor.
    @Suite struct BackupTests {
        static func anchorPath() -> String { "/tmp/hv-anchor-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".json" }

        /// Creates records until `stop` says so; the ids of the acknowledged ones.
        static func load(_ v: TestVault, until stop: @escaping @Sendable () -> Bool) async throws -> [String] {
            let client = try await v.client(as: "intake")
            var ids = [String]()
            var n = 0
            while !stop() {
                n += 1
                let r: RecordWriteResponse = try await client.post("/v1/records", CreateRecordRequest(
                    type: "gbv_incident", fields: ["survivor_name": "Load Survivor \(n)", "incident_type": "rape"], assign: nil))
                ids.append(r.id)
                let _: ReadRecordResponse = try await client.post("/v1/records/\(r.id)/read",
                                                                  ReadRecordRequest(purpose: "load", fields: nil, breakGlass: nil))
            }
            await client.close()
            return ids
        }

        final class Flag: @unchecked Sendable {
            private let lock = NSLock()
            private var value = false
            var isSet: Bool { lock.withLock { value } }
            func set() { lock.withLock { value = true } }
        }

        @Test func aBackupUnderLoadRestoresEveryAcknowledgedRecordAndItsErasures() async throws {
            let anchor = Self.anchorPath()
            defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
            let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
            try v.start(extraArguments: ["--create-anchor"])
            var before = [String]()
            for i in 0..<20 { before.append(try v.createRecord(["survivor_name": "Backed Up \(i)", "incident_type": "rape"])) }
            let erased = before[3]

            // The backup is taken while two clients create and read.
            let stop = Flag()
            async let loadA = Self.load(v, until: { stop.isSet })
            async let loadB = Self.load(v, until: { stop.isSet })
            try await Task.sleep(for: .milliseconds(300))
            let archive = v.root + "/vault.hvbk"
            let made = try v.haven(as: "admin", ["backup", "create", "--out", archive, "--json"])
            try await Task.sleep(for: .milliseconds(200))
            stop.set()
            let during = try await loadA + loadB
            #expect(made.status == 0, "\(made)")
            let created = try JSONDecoder().decode(BackupCreated.self, from: Data(made.stdout.utf8))
            #expect(!during.isEmpty)
            #expect((try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: v.data + "/backups").isEmpty, "the spool is emptied")
            // Nothing of a survivor's is in the archive in the clear.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
            #expect(bytes.range(of: Data("Backed Up".utf8)) == nil && bytes.range(of: Data("gbv_incident".utf8)) == nil)

            // Offline verification: intact passes; one byte changed anywhere fails.
            let ok = try Command.run(TestVault.haven, ["backup", "verify", archive, "--vault-key", v.data + "/vault.pub"])
            #expect(ok.status == 0 && ok.stdout.hasPrefix("verified:"), "\(ok)")
            let forged = v.root + "/forged.hvbk"
            for offset in [20, bytes.count / 2, bytes.count - 10] {
                var copy = [UInt8](bytes)
                copy[offset] ^= 0x01
                try? FileManager.default.removeItem(atPath: forged)
                try Data(copy).write(to: URL(fileURLWithPath: forged))
                let r = try Command.run(TestVault.haven, ["backup", "verify", forged, "--vault-key", v.data + "/vault.pub"])
                #expect(r.status == 1 && r.stdout.hasPrefix("NOT VERIFIED"), "byte \(offset): \(r)")
            }
            let target = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: target.data)
            let refused = try Command.run(TestVault.haven, ["backup", "restore", forged, "--data", target.data, "--root-key", v.data + "/root.key",
                                                           "--policy", v.policy])
            #expect(refused.status == 1 && !FileManager.default.fileExists(atPath: target.data + "/haven.db"), "\(refused)")

            // An erasure after the backup, listed beside the anchor.
            try v.expectOK(as: "intake", ["record", "erase", erased, "--reason", "survivor_request"])
            v.stop()

            // The drill: restore into a new directory with the root key, re-apply erasures, start.
            // The anchor has moved on since the archive: the loss is confirmed.
            let restored = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--root-key", v.data + "/root.key",
                                                            "--vault-key", v.data + "/vault.pub", "--anchor", anchor, "--policy", v.policy, "--json",
                                                            "--accept-loss"])
            #expect(restored.status == 0, "\(restored)")
            let answer = try JSONSerialization.jsonObject(with: Data(restored.stdout.utf8)) as? [String: Any]
            #expect(answer?["restore_epoch"] as? Int == 1 && answer?["erased_again"] as? [String] == [erased], "\(restored.stdout)")
            #expect((answer?["reapplied"] as? [String: Int])?["record_erased"] == 1 && answer?["older_than_anchor"] as? Bool == true,
                    "\(restored.stdout)")
            try target.start(extraArguments: ["--root-key", v.data + "/root.key", "--anchor", anchor])
            for id in before where id != erased {
                let r = try target.haven(as: "intake", ["record", "get", id, "--purpose", "restore drill"])
                #expect(r.status == 0 && r.stdout.contains("Backed Up"), "\(id): \(r)")
            }
            #expect(try target.haven(as: "intake", ["record", "get", erased, "--purpose", "restore drill"]).status == 4)
            // Records acknowledged while the backup ran are there whole, or not at all.
            var present = 0
            for id in during {
                let r = try target.haven(as: "intake", ["record", "get", id, "--purpose", "restore drill"])
                #expect(r.status == 0 || r.status == 4, "\(id): \(r)")
                if r.status == 0 { present += 1 }
            }
            #expect(present > 0)
            try target.expectOK(as: "auditor", ["audit", "verify"])
            let log = try target.auditLog(["--limit", "5000"])
            let restoreEntry = try #require(log.first { $0.action == "vault.restore" })
            #expect(restoreEntry.seq == created.auditSize, "the restore is the first entry after the snapshot's log")
            #expect(restoreEntry.detail["backup_created_at"] == created.createdAt && restoreEntry.detail["restore_epoch"] == "1")
            #expect(log.contains { $0.action == "backup.create" && $0.actor?.user == "admin" })
            target.stop()

            // The vault the backup came from can no longer start on this anchor unnoticed.
            let original = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy, "--anchor", anchor],
                                           timeout: 30)
            #expect(original.status == 1 && original.stderr.contains("anchor"), "\(original)")
        }

        @Test func aVaultSealedBySharesIsRestoredWithItsShares() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            for i in [1, 2] { try SealTests.unseal(v, i) }
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Shared Custody", "incident_type": "rape"])
            let archive = v.root + "/vault.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
            let target = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: target.data)
            let keyless = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--share",
                                                           try SealTests.share(v, 3), "--share", try SealTests.share(v, 1), "--policy", v.policy])
            #expect(keyless.status == 1 && keyless.stderr.contains("sealed to its custodian's key"), "\(keyless)")
            let one = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--share", try SealTests.share(v, 3),
                                                       "--share-key", v.keyPath(SealTests.custodian(3)), "--policy", v.policy])
            #expect(one.status == 1 && one.stderr.contains("needs 2 of 3"), "\(one)")
            let viaKey = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--root-key", v.keyPath("admin"),
                                                          "--policy", v.policy])
            #expect(viaKey.status == 1 && viaKey.stderr.contains("sealed by shares"), "\(viaKey)")
            // The custodians bring their shares and keys to the recovery machine.
            let two = try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target.data, "--share", try SealTests.share(v, 3),
                                                       "--share", try SealTests.share(v, 1), "--share-key", v.keyPath(SealTests.custodian(1)),
                                                       "--share-key", v.keyPath(SealTests.custodian(3)), "--policy", v.policy])
            #expect(two.status == 0, "\(two)")
            try target.start()
            #expect(try SealTests.sealStatus(target).sealed, "restored sealed, as it was")
            for i in [2, 3] { try target.expectOK(as: SealTests.custodian(i), ["operator", "unseal", "--share", try SealTests.share(v, i)]) }
            #expect(try target.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "restored"])
                .fields["survivor_name"] == "Shared Custody")
        }
    }
}
