import Foundation
import HavenAPI
import HavenClient
import HavenProcess
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven operator rotate-root` with the real binaries: under load, and with the daemon
    /// killed at random moments of it, the vault always opens afterwards — with the old key
    /// or the new — and every acknowledged record reads back; the old key, passphrase or
    /// shares stop opening it once it is rotated.
    @Suite struct RotationTests {
        /// Creates records until stopped, through every refusal a rotation or a crash causes
        /// (sealed while rotating, a session that ended, a daemon gone): only acknowledged
        /// ids are kept.
        final class Load: @unchecked Sendable {
            private let lock = NSLock()
            private var ids = [String]()
            private var stopped = false
            var acknowledged: [String] { lock.withLock { ids } }
            func stop() { lock.withLock { stopped = true } }
            var isStopped: Bool { lock.withLock { stopped } }

            func run(_ v: TestVault, tag: Int) async {
                var n = 0
                while !isStopped {
                    guard let client = try? await v.client(as: "intake") else {
                        try? await Task.sleep(for: .milliseconds(20))
                        continue
                    }
                    while !isStopped {
                        n += 1
                        let body = CreateRecordRequest(type: "gbv_incident",
                                                       fields: ["survivor_name": "Rotation \(tag)-\(n)", "incident_type": "rape"], assign: nil)
                        guard let r: RecordWriteResponse = try? await client.post("/v1/records", body) else { break }
                        lock.withLock { ids.append(r.id) }
                    }
                    await client.close()
                }
            }
        }

        static func readsBack(_ v: TestVault, _ ids: [String]) async throws -> [String] {
            let client = try await v.client(as: "intake")
            var missing = [String]()
            for id in ids {
                let r: ReadRecordResponse? = try? await client.post("/v1/records/\(id)/read",
                                                                    ReadRecordRequest(purpose: "after rotation", fields: nil, breakGlass: nil))
                let name: String = (r?.fields["survivor_name"] ?? nil) ?? ""
                if !name.hasPrefix("Rotation") && !name.hasPrefix("Before") {
                    missing.append(id)
                }
            }
            await client.close()
            return missing
        }

        @Test func aKillAtAnyMomentOfARotationUnderLoadLeavesAVaultThatOpens() async throws {
            let v = try TestVault()
            var all = [String]()
            for i in 0..<30 { all.append(try v.createRecord(["survivor_name": "Before \(i)", "incident_type": "rape"])) }
            var rotated = 0
            var keys = Set<Data>()
            // HAVEN_ROTATION_CYCLES=N runs longer (scripts/soak-rotate.sh).
            let cycles = ProcessInfo.processInfo.environment["HAVEN_ROTATION_CYCLES"].flatMap(Int.init) ?? 10
            for cycle in 0..<cycles {
                keys.insert(try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key")))
                let load = Load()
                let task = Task { await load.run(v, tag: cycle) }
                try await Task.sleep(for: .milliseconds(50))
                let rotation = try ChildProcess(TestVault.haven, ["operator", "rotate-root", "--socket", v.socket, "--key", v.keyPath("admin")],
                                                environment: Command.baseEnvironment)
                // Anywhere from before the rotation starts to after it ends.
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...600)))
                v.crash()
                let ended = rotation.wait(upTo: 30)
                load.stop()
                await task.value
                if ended == .exited(0) { rotated += 1 }
                try v.start()
                all += load.acknowledged
                let missing = try await Self.readsBack(v, all)
                #expect(missing.isEmpty, "cycle \(cycle): \(missing.count) acknowledged records do not read back")
                #expect(!FileManager.default.fileExists(atPath: v.data + "/root.key.new"), "cycle \(cycle): a pending key file stayed")
            }
            keys.insert(try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key")))
            print("rotation kill test: \(cycles) cycles, \(rotated) rotations answered before the kill, \(keys.count - 1) key changes, "
                  + "\(all.count) acknowledged records read back")
            // Some rotations were cut off and some completed; at least one key changed.
            #expect(keys.count > 1, "no rotation took effect in 10 cycles (\(rotated) reported success)")
            // One more, not interrupted, under load: it completes, and the log verifies.
            let load = Load()
            let task = Task { await load.run(v, tag: 99) }
            try await Task.sleep(for: .milliseconds(50))
            let done = try v.haven(as: "admin", ["operator", "rotate-root", "--json"])
            load.stop()
            await task.value
            let answer = try JSONDecoder().decode(RotateAnswer.self, from: Data(done.stdout.utf8))
            #expect(done.status == 0 && answer.rotated && answer.records ?? 0 >= 30, "\(done)")
            all += load.acknowledged
            #expect(try await Self.readsBack(v, all).isEmpty)
            try v.expectOK(as: "auditor", ["audit", "verify"])
            let entries = try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.rotate" }
            #expect(entries.contains { $0.decision == "allow" && $0.actor?.user == "admin" })
        }

        /// A crash after the rotation committed but before the new key file took the old
        /// one's place, and one before it committed: the next start finishes or undoes it.
        @Test func aStartFinishesOrUndoesAnInterruptedRotation() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Before Recovery", "phone": "020 5555 0199", "date_of_birth": "1994-02-02",
                                         "incident_type": "rape", "intake_date": "2025-06-01"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "statistics"])
            let indexed = try v.searchIndexValues(id)
            let sealedStatistics = try v.scalarBlob("SELECT sealed FROM record_statistics WHERE record_id = ?", [id])
            let old = try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key"))
            try v.expectOK(as: "admin", ["operator", "rotate-root"])
            v.stop()
            let new = try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key"))
            #expect(new != old)
            // Committed, not yet renamed: the old key in place, the new one beside it.
            try FileManager.default.moveItem(atPath: v.data + "/root.key", toPath: v.data + "/root.key.new")
            FileManager.default.createFile(atPath: v.data + "/root.key", contents: old, attributes: [.posixPermissions: 0o600])
            try v.start()
            #expect(try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key")) == new)
            #expect(v.daemonLog.contains("finished a root key rotation"))
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after recovery"])
            // The search index was rebuilt under the new key: other values, the same record found.
            #expect(try v.searchIndexValues(id).count == 3 && v.searchIndexValues(id) != indexed)
            let found = try v.json(FindRecordsResponse.self, as: "intake", ["record", "find", "--name", "before recovery", "--phone",
                                                                           "+856 20 55550199", "--purpose", "after the rotation"])
            #expect(found.matches.map(\.id) == [id])
            // So were its statistics, sealed under the new key, and the record is still counted.
            #expect(try v.scalarBlob("SELECT sealed FROM record_statistics WHERE record_id = ?", [id]) != sealedStatistics)
            // Alone in its year, it is a small cell, or the year's release is refused whole because
            // no table of it hides her (HavenStats METHOD.md); either way its new row opened.
            let counted = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-06", "--to", "2025-06", "--by",
                                                      "incident_type", "--format", "csv"])
            #expect(counted.status == 0 ? counted.stdout.contains("rape,<5\r\n") && counted.stderr.isEmpty
                    : counted.stderr.contains("cannot be published") && !counted.stderr.contains("integrity"), "\(counted)")
            v.stop()
            // Not committed: a new key file beside the one the database is under.
            FileManager.default.createFile(atPath: v.data + "/root.key.new", contents: old, attributes: [.posixPermissions: 0o600])
            try v.start()
            #expect(!FileManager.default.fileExists(atPath: v.data + "/root.key.new"))
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after undo"])
            // The old key no longer opens the vault.
            v.stop()
            try FileManager.default.removeItem(atPath: v.data + "/root.key")
            FileManager.default.createFile(atPath: v.data + "/root.key", contents: old, attributes: [.posixPermissions: 0o600])
            let refused = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(refused.status == 1 && refused.stderr.contains("does not open this vault"), "\(refused)")
        }

        /// A row changed outside Haven is not blessed by a rotation under the new key: the
        /// rotation is refused, nothing changes, and the vault serves on with the old key.
        @Test func aRotationRefusesToBlessARowChangedOutsideHaven() throws {
            let v = try TestVault()
            let tampered = try v.createRecord(["survivor_name": "Tampered", "incident_type": "rape"])
            let fine = try v.createRecord(["survivor_name": "Untouched", "incident_type": "rape"])
            let old = try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key"))
            try v.execute("UPDATE records SET agency = 'elsewhere' WHERE id = ?", [tampered])
            let r = try v.haven(as: "admin", ["operator", "rotate-root"])
            #expect(r.status == 1 && r.stderr.contains("integrity_error") && r.stderr.contains(tampered), "\(r)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: v.data + "/root.key")) == old)
            #expect(!FileManager.default.fileExists(atPath: v.data + "/root.key.new"))
            try v.expectOK(as: "intake", ["record", "get", fine, "--purpose", "after the refused rotation"])
            let entry = try #require(try v.auditLog(["--limit", "5000"]).last { $0.action == "vault.rotate" })
            #expect(entry.decision == "error" && entry.outcome == "integrity_error")
        }

        @Test func aPassphraseOrSharesVaultIsResealedTheWayItWasSealed() throws {
            let first = try SealTests.passphraseFile("the first long passphrase")
            let second = try SealTests.passphraseFile("the second long passphrase")
            defer { for f in [first, second] { unlink(f) } }
            let p = try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", first])
            try p.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", first])
            try p.enrolStandardUsers()
            let id = try p.createRecord(["survivor_name": "Before Reseal", "incident_type": "rape"])
            // The administrator alone cannot choose the new passphrase: the current one is needed.
            let wrong = try p.haven(as: "admin", ["operator", "rotate-root", "--passphrase-file", second, "--current-passphrase-file", second])
            #expect(wrong.status == 3 && wrong.stderr.contains("does not open this vault"), "\(wrong)")
            #expect(!FileManager.default.fileExists(atPath: p.data + "/root.passphrase.new"))
            try p.expectOK(as: "admin", ["operator", "rotate-root", "--passphrase-file", second, "--current-passphrase-file", first])
            // Sealed again without a restart, it takes the new passphrase (the daemon checks
            // offers against the seal in force), not the old one.
            try p.expectOK(as: "admin", ["operator", "seal"])
            #expect(try p.haven(as: nil, ["operator", "unseal", "--passphrase-file", first]).status == 3)
            try p.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", second])
            p.stop()
            try p.start()
            #expect(try p.haven(as: nil, ["operator", "unseal", "--passphrase-file", first]).status == 3)
            try p.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", second])
            try p.expectOK(as: "intake", ["record", "get", id, "--purpose", "resealed"])

            let s = try TestVault(enrol: false, initArguments: SealTests.shares)
            for i in [1, 2] { try SealTests.unseal(s, i) }
            try s.enrolStandardUsers()
            let kept = try s.createRecord(["survivor_name": "Before Resplit", "incident_type": "rape"])
            let out = s.root + "/new-shares"
            // Current shares never pass through one process: two in one run are refused, nothing split.
            let two = try s.haven(as: "admin", ["operator", "rotate-root", "--share-out", out, "--share", try SealTests.share(s, 1),
                                                "--share", try SealTests.share(s, 3)])
            #expect(two.status == 2 && two.stderr.contains("one --share per run") && !FileManager.default.fileExists(atPath: out), "\(two)")
            // As the README writes it: the same N, K and custodians as in force, by default.
            let started = try CustodyCeremonyTests.start(s, out: out)
            #expect(started.share_files.count == 3 && started.needed == 2)
            try CustodyCeremonyTests.offer(s, started.pending, custodian: 1)
            let done = try CustodyCeremonyTests.offer(s, started.pending, custodian: 3)
            #expect(done.stdout.contains("rotated the root key"), "\(done)")
            s.stop()
            try s.start()
            let stale = try s.haven(as: SealTests.custodian(1), ["operator", "unseal", "--share", try SealTests.share(s, 1)])
            #expect(stale.status == 1 && stale.stderr.contains("not one of this vault's current shares"), "\(stale)")
            for i in [1, 2] { try SealTests.unseal(s, i, share: started.share_files[i - 1]) }
            try s.expectOK(as: "intake", ["record", "get", kept, "--purpose", "resplit"])
        }
    }
}
