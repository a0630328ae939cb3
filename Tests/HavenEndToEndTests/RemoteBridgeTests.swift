import Foundation
import Glibc
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven --host ssh://…` against the real sshd and havend (`BridgedVault`): the daily work of
    /// a remote person — records, the audit log, extracts and backups written on the caller's
    /// machine — through an account pinned to `haven dial-stdio`, and the Haven user bound to
    /// that account's uid honoured through the bridge and refused from any other uid.
    @Suite(.enabled(if: LoopbackSSHD.available, LoopbackSSHD.unavailable))
    struct RemoteBridgeTests {
        @Test func aRecordIsCreatedAndReadBackThroughTheBridge() throws {
            let b = try BridgedVault.shared()
            let made = try b.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "incident_type=rape",
                                                  "--field", "survivor_name=@-"], stdin: "Bridged Survivor\n")
            #expect(made.status == 0, "\(made)\n\(b.sshd.log.suffix(2000))")
            let id = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let got = try b.expectOK(as: "intake", ["record", "get", id, "--purpose", "follow-up", "--json"])
            #expect(got.stdout.contains("Bridged Survivor"), "\(got)")
            // The same record, on the vault host's own socket.
            let local = try b.vault.expectOK(as: "intake", ["record", "get", id, "--purpose", "follow-up", "--json"])
            #expect(local.stdout.contains("Bridged Survivor"))
            // HAVEN_HOST does what --host does.
            let list = try Command.run(TestVault.haven, ["record", "list", "--key", b.vault.keyPath("intake")],
                                       environment: b.environment.merging(["HAVEN_HOST": b.url()]) { $1 })
            #expect(list.status == 0 && list.stdout.contains(id), "\(list)")
            // ssh://user@host:port, the port in the address rather than in ssh's configuration.
            let direct = try Command.run(TestVault.haven, ["status", "--key", b.vault.keyPath("intake"),
                                                           "--host", "ssh://\(b.account.name)@127.0.0.1:\(b.sshd.port)"],
                                         environment: b.environment)
            #expect(direct.status == 0, "\(direct)")
        }

        /// Entries made through the bridge say so, with the address sshd reported; entries made
        /// on the local socket do not.
        @Test func theAuditLogShowsWhatCameThroughTheBridge() throws {
            let b = try BridgedVault.shared()
            let id = try b.vault.createRecord(["incident_type": "rape", "survivor_name": "Audited Remotely"])
            try b.expectOK(as: "intake", ["record", "get", id, "--purpose", "follow-up"])
            let log = try b.expectOK(as: "auditor", ["audit", "log", "--record", id]).stdout
            let lines = log.split(separator: "\n").filter { $0.contains("record.read") || $0.contains("record.create") }
            #expect(lines.count >= 2, "\(log)")
            let bridged = lines.filter { $0.contains("record.read via dial-stdio from 127.0.0.1 port ") && $0.contains(" (reported) ") }
            #expect(bridged.count == 1, "\(log)")
            #expect(lines.filter { $0.contains("via dial-stdio") }.count == 1, "the local create is not marked: \(log)")

            let json = try b.expectOK(as: "auditor", ["audit", "log", "--record", id, "--json"]).stdout
            #expect(json.contains("\"via\":\"dial-stdio\"") || json.contains("\"via\" : \"dial-stdio\""), "\(json)")
            #expect(json.contains("\"reported_from\":\"127.0.0.1 port ") || json.contains("\"reported_from\" : \"127.0.0.1 port "), "\(json)")
        }

        @Test func anExtractIsWrittenOnTheCallersMachineAndVerifiesOffline() throws {
            let b = try BridgedVault.shared()
            let id = try b.vault.createRecord(["incident_type": "rape", "survivor_name": "Extracted Remotely"])
            let here = TemporaryDirectory("haven-remote-extract")
            defer { here.remove() }
            let out = here.file("extract.json")
            try b.expectOK(as: "court", ["extract", "create", id, "--purpose", "hearing 12/2026",
                                         "--court-order", "Order 33/2026", "--out", out])
            #expect(FileManager.default.fileExists(atPath: out))
            try FileManager.default.copyItem(atPath: b.vault.data + "/vault.pub", toPath: here.file("vault.pub"))
            let verified = try Command.run(TestVault.haven, ["extract", "verify", out, "--vault-key", here.file("vault.pub")])
            #expect(verified.status == 0, "\(verified)")
        }

        /// The archive lands on the caller's machine, still encrypted and signed, and checking it
        /// needs nothing but vault.pub: no vault, no socket, no bridge.
        @Test func aBackupLandsOnTheCallersMachineAndVerifiesWithOnlyVaultPub() throws {
            let b = try BridgedVault.shared()
            _ = try b.vault.createRecord(["incident_type": "rape", "survivor_name": "Backed Up Remotely"])
            let here = TemporaryDirectory("haven-remote-backup")
            defer { here.remove() }
            let archive = here.file("vault.hvbk")
            try b.expectOK(as: "admin", ["backup", "create", "--out", archive])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
            #expect(bytes.count > 1000 && bytes.range(of: Data("Backed Up Remotely".utf8)) == nil)
            try FileManager.default.copyItem(atPath: b.vault.data + "/vault.pub", toPath: here.file("vault.pub"))
            let verified = try Command.run(TestVault.haven, ["backup", "verify", archive, "--vault-key", here.file("vault.pub")],
                                           environment: ["HAVEN_HOST": b.url()])
            #expect(verified.status == 0 && verified.stdout.hasPrefix("verified:"), "\(verified)")
        }

        /// Two sites are told apart by the vault id `status` prints, which is the vault's own.
        @Test func statusNamesTheBridgeAndTheVaultThatAnswered() throws {
            let b = try BridgedVault.shared()
            let local = try b.vault.expectOK(as: "intake", ["status", "--json"]).stdout
            let vaultId = try #require(try JSONSerialization.jsonObject(with: Data(local.utf8)) as? [String: Any])["vault_id"] as? String
            let remote = try b.expectOK(as: "intake", ["status"]).stdout
            let lines = remote.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            #expect(lines.contains(["via", Substring(b.url())]), "\(remote)")
            #expect(lines.contains(["vault", Substring(try #require(vaultId))]), "\(remote)")
        }

        /// The vault id pinned by a remote user: the id the operator gave is served through the
        /// bridge; another is refused (exit 3) before the challenge is answered, so the daemon
        /// records no session attempt for that user, through the bridge or otherwise.
        @Test func aPinnedVaultIDIsServedAndAnotherIsRefusedUnsigned() throws {
            let b = try BridgedVault.shared()
            let name = "pinned-\(UInt32.random(in: 0...UInt32.max))"
            try b.vault.enrol(name, role: "intake", agency: "ossc-vientiane", uid: b.account.uid)
            let local = try b.vault.expectOK(as: "intake", ["status", "--json"]).stdout
            let id = try #require(try JSONSerialization.jsonObject(with: Data(local.utf8)) as? [String: Any])["vault_id"] as? String
            let vaultID = try #require(id)

            let wrong = try b.haven(as: name, ["status"], environment: ["HAVEN_VAULT_ID": "the-vault-I-was-given"])
            #expect(wrong.status == 3, "\(wrong)\n\(b.sshd.log.suffix(2000))")
            #expect(wrong.stderr.hasPrefix("haven: denied: the vault that answered is \(vaultID), not the one you named (the-vault-I-was-given): nothing was signed (hint: "),
                    "\(wrong)")
            let none = try b.vault.expectOK(as: "auditor", ["audit", "log", "--user", name, "--sessions", "--all"]).stdout
            #expect(!none.contains("auth.session"), "\(none)")

            let right = try b.haven(as: name, ["--vault-id", vaultID, "status"], environment: ["HAVEN_VAULT_ID": "the-vault-I-was-given"])
            #expect(right.status == 0 && right.stdout.contains(name), "\(right)")
            let viaEnvironment = try b.haven(as: name, ["status"], environment: ["HAVEN_VAULT_ID": vaultID])
            #expect(viaEnvironment.status == 0, "\(viaEnvironment)")
            let one = try b.vault.expectOK(as: "auditor", ["audit", "log", "--user", name, "--sessions", "--all"]).stdout
            #expect(one.contains("auth.session via dial-stdio"), "\(one)")
        }

        /// docs/REMOTE.md's advice for scripts: with ControlMaster, several commands share one
        /// SSH login, and each still authenticates to havend with its own key.
        @Test func commandsShareOneSSHLoginThroughControlMaster() throws {
            let b = try BridgedVault.shared()
            let control = ["-o", "ControlPath=\(b.sshd.dir)/cm-%C"]
            let shared = ([b.sshd.sshCommand, "-o", "ControlMaster=auto", "-o", "ControlPersist=60"] + control).joined(separator: " ")
            // The control socket's name (%C) hashes the remote user too.
            defer { _ = try? Command.run(LoopbackSSHD.ssh, ["-F", b.sshd.config, "-l", b.account.name] + control + ["-O", "exit", "bridge"]) }
            func logins() -> Int { b.sshd.log.components(separatedBy: "Accepted publickey for").count - 1 }
            let before = logins()
            for user in ["intake", "counsellor", "intake"] {
                let r = try b.haven(as: user, ["status"], environment: ["HAVEN_SSH_COMMAND": shared])
                #expect(r.status == 0 && r.stdout.contains("user    \(user) "), "\(r)")
            }
            #expect(logins() - before == 1, "\(b.sshd.log.suffix(3000))")
        }

        /// A Haven user enrolled with `--uid` of the SSH account: served through the bridge,
        /// whose dial-stdio runs as that account; the same key from another uid on the vault
        /// host (here root's) is refused.
        @Test func aUserBoundToTheAccountsUidIsServedOnlyThroughTheBridge() throws {
            let b = try BridgedVault.shared()
            let name = "remote-\(UInt32.random(in: 0...UInt32.max))"
            try b.vault.enrol(name, role: "intake", agency: "ossc-vientiane", uid: b.account.uid)
            let bridged = try b.haven(as: name, ["status"])
            #expect(bridged.status == 0 && bridged.stdout.contains(name), "\(bridged)\n\(b.sshd.log.suffix(2000))")
            let local = try b.vault.haven(as: name, ["status"])
            #expect(local.status == 3, "\(local)")
        }
    }
}
