import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Custodians with their own keys, with the real binaries: shares are sealed to them at
    /// init and in a rotation, so no answer and no output holds a share in clear; a rotation
    /// is started by the administrator and committed only by custodians offering their
    /// current shares one by one from their own processes — the administrator alone can do
    /// neither half. After a crash, `operator status --data` names the set in force and the
    /// stale files; a sealed share is usable on FAT media; the seal status tells anyone
    /// without a session no more than sealed and shares still needed.
    @Suite struct CustodyCeremonyTests {
        struct Started: Decodable {
            let pending: String
            let share_files: [String]
            let needed: Int?
        }

        /// The administrator starts a rotation (`rotate-root --share-out DIR`).
        static func start(_ v: TestVault, out: String, _ extra: [String] = []) throws -> Started {
            let r = try v.expectOK(as: "admin", ["operator", "rotate-root", "--share-out", out, "--json"] + extra)
            return try JSONDecoder().decode(Started.self, from: Data(r.stdout.utf8))
        }

        /// Custodian `i` offers their current share to rotation `id`, from their own process.
        @discardableResult
        static func offer(_ v: TestVault, _ id: String, custodian i: Int) throws -> CommandResult {
            try v.expectOK(as: SealTests.custodian(i), ["operator", "rotate-root", "--commit", id, "--share", try SealTests.share(v, i)])
        }

        static func fileStates(_ v: TestVault, _ arguments: [String]) throws -> [String: String] {
            let r = try v.expectOK(as: nil, ["operator", "status", "--data", v.data, "--json"] + arguments)
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let files = try #require(o["files"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0["state"] as? String ?? "") })
        }

        @Test func aSharesCeremonyHasNoSingleHolder() async throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            // Init wrote only sealed shares, and the administrator's key opens none of them.
            for i in 1...3 {
                let text = try String(contentsOfFile: try SealTests.share(v, i), encoding: .utf8)
                #expect(text.contains("haven-root-share-sealed-v1:") && !text.contains("haven-root-share-v1:"))
                let r = try v.haven(as: "admin", ["operator", "unseal", "--share", try SealTests.share(v, i)])
                #expect(r.status == 1 && r.stderr.contains("is sealed to key"), "\(r)")
            }
            // Two custodians unseal, each in a process of their own with their own key.
            try SealTests.unseal(v, 1)
            try SealTests.unseal(v, 2)
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Ceremony Survivor", "incident_type": "rape"])

            // The administrator's session asks the API for a split: only sealed shares come back,
            // each opened by its custodian's key and by no other, the administrator's included.
            let admin = try await v.client(as: "admin")
            let raw = try await admin.connection.send(method: .POST, path: "/v1/operator/rotate", body: Array("{}".utf8))
            await admin.close()
            let split = try JSONDecoder().decode(RotateAnswer.self, from: Data(raw.body))
            #expect(raw.status == 200 && !split.rotated && split.shareFiles?.count == 3 && split.needed == 2)
            let adminKey = try v.signingKey("admin")
            for (i, b64) in (split.shareFiles ?? []).enumerated() {
                let sealed = try SealedShareFile(bytes: [UInt8](try #require(Data(base64Encoded: b64))), what: "new share")
                #expect(throws: HavenError.self) { try sealed.open(with: adminKey, what: "new share") }
                #expect(try sealed.open(with: v.signingKey(SealTests.custodian(i + 1)), what: "new share").index == UInt8(i + 1))
            }

            // As the README writes it: the same N, K and custodians; a later split replaces an earlier one.
            let first = try Self.start(v, out: v.root + "/first")
            let second = try Self.start(v, out: v.root + "/second")
            #expect(second.share_files.count == 3 && second.needed == 2)
            for f in second.share_files {
                let text = try String(contentsOfFile: f, encoding: .utf8)
                #expect(text.contains("haven-root-share-sealed-v1:") && !text.contains("haven-root-share-v1:"))
            }
            // The administrator alone cannot commit: their key opens no current share, two shares
            // in one run are refused, and so is a request carrying two.
            let alone = try v.haven(as: "admin", ["operator", "rotate-root", "--commit", second.pending, "--share", try SealTests.share(v, 1)])
            #expect(alone.status == 1 && alone.stderr.contains("is sealed to key"), "\(alone)")
            let both = try v.haven(as: "admin", ["operator", "rotate-root", "--commit", second.pending, "--share", try SealTests.share(v, 1),
                                                 "--share", try SealTests.share(v, 2)])
            #expect(both.status == 2 && both.stderr.contains("one --share per run"), "\(both)")
            let two = [try SealTests.shareBytes(v, 1), try SealTests.shareBytes(v, 2)].map { Data($0).base64EncodedString() }
            let body = try JSONSerialization.data(withJSONObject: ["commit": second.pending, "current_shares": two])
            let anonymous = try await HavenClient.connect(socketPath: v.socket, key: nil)
            let refused = try await anonymous.connection.send(method: .POST, path: "/v1/operator/rotate", body: Array(body))
            await anonymous.close()
            #expect(refused.status == 400 && String(decoding: refused.body, as: UTF8.self).contains("one current share per request"))

            // Offering to the replaced split is refused; custodian 1 offers once (twice counts once);
            // custodian 3 brings the threshold, and the rotation commits.
            let replaced = try v.haven(as: SealTests.custodian(1), ["operator", "rotate-root", "--commit", first.pending, "--share",
                                                                   try SealTests.share(v, 1)])
            #expect(replaced.status == 1 && replaced.stderr.contains("no rotation"), "\(replaced)")
            let one = try Self.offer(v, second.pending, custodian: 1)
            let keyIDs = try SealTests.custodians.map { try v.signingKey($0).publicKey.keyID }
            // Before the share goes, the custodian is shown what it commits to.
            #expect(one.stdout.contains("the new key opens with any 2 of 3 shares, sealed to custodian keys \(keyIDs.joined(separator: ", "))"),
                    "\(one)")
            #expect(one.stdout.contains("1 more needed") && !one.stdout.contains("not among them"), "\(one)")
            let again = try v.haven(as: SealTests.custodian(1), ["operator", "rotate-root", "--commit", second.pending, "--share",
                                                                try SealTests.share(v, 1)])
            #expect(again.status == 1 && again.stderr.contains("already been offered"), "\(again)")
            let done = try Self.offer(v, second.pending, custodian: 3)
            #expect(done.stdout.contains("rotated the root key"), "\(done)")
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the ceremony"])

            // Status names the set in force and the stale files (the old split, the replaced one).
            let states = try Self.fileStates(v, ["--share-dir", v.root + "/second", try SealTests.share(v, 1), first.share_files[0]])
            #expect(second.share_files.allSatisfy { states[$0] == "in_force" }, "\(states)")
            #expect(states[try SealTests.share(v, 1)] == "stale" && states[first.share_files[0]] == "stale", "\(states)")

            // Sealed again: the old shares are refused, the new ones open the vault.
            try v.expectOK(as: "admin", ["operator", "seal"])
            let stale = try v.haven(as: SealTests.custodian(1), ["operator", "unseal", "--share", try SealTests.share(v, 1)])
            #expect(stale.status == 1 && stale.stderr.contains("not one of this vault's current shares"), "\(stale)")
            for i in [2, 3] { try SealTests.unseal(v, i, share: second.share_files[i - 1]) }
            let read = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "with the new shares"])
            #expect(read.fields["survivor_name"] == "Ceremony Survivor")

            // Every step is in the log, with the peer that made it: each split by the administrator,
            // each offer (taken and refused), and the commit.
            let rotations = try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.rotate" }
            #expect(rotations.filter { $0.detail["step"] == "split" && $0.actor?.user == "admin" && $0.decision == "allow" }.count == 3)
            let offers = rotations.filter { $0.detail["step"] == "share" }
            // (The offer to the replaced split stopped at its description, which changes nothing and is not an entry.)
            #expect(offers.filter { $0.decision == "allow" }.count == 2 && offers.filter { $0.decision != "allow" }.count == 1, "\(offers)")
            #expect(offers.allSatisfy { $0.peer?.uid == getuid() && $0.actor == nil })
            #expect(rotations.contains { $0.detail["step"] == "commit" && $0.decision == "allow" && $0.rule.contains("root key rotated") })
            try v.expectOK(as: "auditor", ["audit", "verify"])
        }

        /// The administrator names the new custodians of a split: keys of their own, as many as the
        /// threshold, would let the custodians' offers commit a key only the administrator opens.
        @Test func theAdministratorCannotNameEnoughNewCustodiansToOpenTheNewKey() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            for i in [1, 2] { try SealTests.unseal(v, i) }
            try v.enrolStandardUsers()
            let pub = { (name: String) in ["--custodian-key", v.keys + "/\(name).key.pub"] }
            let own = try v.haven(as: "admin", ["operator", "rotate-root", "--share-out", v.root + "/own", "--threshold", "2"]
                                  + pub("admin") + pub("intake") + pub("counsellor"))
            #expect(own.status == 3 && own.stderr.contains("hold no current share"), "\(own)")
            #expect(!FileManager.default.fileExists(atPath: v.root + "/own"))
            // One custodian replaced (police leaves, analyst joins) is a rotation like any other.
            let replaced = try Self.start(v, out: v.root + "/replaced", ["--threshold", "2"] + pub("counsellor") + pub("health") + pub("analyst"))
            try Self.offer(v, replaced.pending, custodian: 1)
            let done = try Self.offer(v, replaced.pending, custodian: 3)
            #expect(done.stdout.contains("rotated the root key") && done.stdout.contains("is not among them"), "\(done)")
            try v.expectOK(as: "admin", ["operator", "seal"])
            try v.expectOK(as: "analyst", ["operator", "unseal", "--share", replaced.share_files[2]])
            try v.expectOK(as: "counsellor", ["operator", "unseal", "--share", replaced.share_files[0]])
            #expect(try !SealTests.sealStatus(v).sealed)
        }

        @Test func afterACrashMidRotationStatusNamesTheSetInForceAndTheStaleFiles() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            for i in [1, 2] { try SealTests.unseal(v, i) }
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Crash Survivor", "incident_type": "rape"])
            let setPath = v.data + "/root.shares"
            let oldSet = try Data(contentsOf: URL(fileURLWithPath: setPath))
            let started = try Self.start(v, out: v.root + "/new")
            try Self.offer(v, started.pending, custodian: 2)
            try Self.offer(v, started.pending, custodian: 3)
            v.stop()
            let newSet = try Data(contentsOf: URL(fileURLWithPath: setPath))
            #expect(newSet != oldSet)
            let old = try (1...3).map { try SealTests.share(v, $0) }
            // A crash after the commit, before the new set took the old one's place.
            try FileManager.default.moveItem(atPath: setPath, toPath: setPath + ".new")
            FileManager.default.createFile(atPath: setPath, contents: oldSet, attributes: [.posixPermissions: 0o600])
            // Status decides as havend will: the database committed to the new set, so it is in force.
            let offline = try v.expectOK(as: nil, ["operator", "status", "--data", v.data, "--share-dir", v.root + "/new"] + old)
            #expect(offline.stdout.contains("a rotation was interrupted after its commit"), "\(offline)")
            let waiting = try Self.fileStates(v, ["--share-dir", v.root + "/new"] + old)
            #expect(started.share_files.allSatisfy { waiting[$0] == "in_force" } && old.allSatisfy { waiting[$0] == "stale" }, "\(waiting)")
            // havend settles it at start (the database committed to the new set); status says so.
            try v.start()
            #expect(try Data(contentsOf: URL(fileURLWithPath: setPath)) == newSet)
            #expect(!FileManager.default.fileExists(atPath: setPath + ".new"))
            var states = try Self.fileStates(v, ["--share-dir", v.root + "/new"] + old)
            #expect(started.share_files.allSatisfy { states[$0] == "in_force" } && old.allSatisfy { states[$0] == "stale" }, "\(states)")
            let human = try v.expectOK(as: nil, ["operator", "status", "--data", v.data, started.share_files[0], old[0]]).stdout
            #expect(human.contains("share set in force, any 2 of 3") && human.contains("in force (share 1 of 3")
                    && human.contains("stale (share 1 of 3") && human.contains("never committed"), "\(human)")

            // A crash before the commit: a root.shares.new the database never committed to.
            v.stop()
            FileManager.default.createFile(atPath: setPath + ".new", contents: oldSet, attributes: [.posixPermissions: 0o600])
            let before = try v.expectOK(as: nil, ["operator", "status", "--data", v.data, started.share_files[0], old[0]]).stdout
            #expect(before.contains("a rotation was interrupted before its commit") && before.contains("in force (share 1 of 3")
                    && before.contains("stale (share 1 of 3") && before.contains("never committed"), "\(before)")
            try v.start()
            #expect(!FileManager.default.fileExists(atPath: setPath + ".new"))

            // A ceremony a crash cut short before its commit: its files are named stale.
            for i in [1, 2] { try SealTests.unseal(v, i, share: started.share_files[i - 1]) }
            let orphan = try Self.start(v, out: v.root + "/orphan")
            try v.expectOK(as: SealTests.custodian(1), ["operator", "rotate-root", "--commit", orphan.pending, "--share", started.share_files[0]])
            v.crash()
            try v.start()
            states = try Self.fileStates(v, ["--share-dir", v.root + "/orphan"] + started.share_files)
            #expect(orphan.share_files.allSatisfy { states[$0] == "stale" } && started.share_files.allSatisfy { states[$0] == "in_force" },
                    "\(states)")
            for i in [2, 3] { try SealTests.unseal(v, i, share: started.share_files[i - 1]) }
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the crash"])
        }

        @Test func aSealedShareOnAFATStickIsUsableAShareInClearIsNot() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            // A FAT or exFAT stick shows every file 0777 (and cannot be told otherwise).
            let stick = v.root + "/stick"
            try FileManager.default.createDirectory(atPath: stick, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: try SealTests.share(v, 1), toPath: stick + "/share-1.key")
            chmod(stick + "/share-1.key", 0o777)
            let sealed = try SealTests.unseal(v, 1, share: stick + "/share-1.key")
            #expect(sealed.stdout.contains("1 more share needed"), "\(sealed)")
            // A share in clear (as vaults made before custodian keys have) keeps the key-file rule.
            let clear = stick + "/clear-2.key"
            let bytes = try SealTests.shareBytes(v, 2)
            let file = bytes.withUnsafeBytes { KeyFileFormat.encode(kind: .rootKeyShare, key: $0) }
            try file.withUnsafeBytes { try KeyFiles.create(path: clear, contents: $0, mode: 0o644) }
            let open = try v.haven(as: nil, ["operator", "unseal", "--share", clear])
            #expect(open.status != 0 && open.stderr.contains("accessible by group or others"), "\(open)")
            chmod(clear, 0o600)
            let taken = try v.expectOK(as: nil, ["operator", "unseal", "--share", clear])
            #expect(taken.stdout.hasPrefix("unsealed"), "\(taken)")
        }

        @Test func withoutASessionTheSealStatusSaysOnlySealedAndSharesNeeded() async throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            func keys(as user: String?) async throws -> Set<String> {
                let client = user == nil ? try await HavenClient.connect(socketPath: v.socket, key: nil) : try await v.client(as: user)
                let r = try await client.connection.send(method: .GET, path: "/v1/operator/seal")
                await client.close()
                let o = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
                return Set(o.keys)
            }
            #expect(try await keys(as: nil) == ["sealed", "seal", "needed"])
            let cli = try v.expectOK(as: nil, ["operator", "status"])
            #expect(cli.stdout == "sealed: 2 more shares needed\n", "\(cli)")
            #expect(!cli.stdout.contains("vault"), "\(cli)")
            try SealTests.unseal(v, 1)
            #expect(try await keys(as: nil) == ["sealed", "seal", "needed"])
            #expect(try SealTests.sealStatus(v).needed == 1)
            try SealTests.unseal(v, 2)
            try v.enrolStandardUsers()
            // Open: anyone learns that it is open; an administrator's session sees the rest.
            #expect(try await keys(as: nil) == ["sealed", "seal"])
            #expect(try await keys(as: "intake") == ["sealed", "seal"])
            #expect(try await keys(as: "admin").contains("vault_id"))
            let whole = try v.expectOK(as: "admin", ["operator", "status"])
            #expect(whole.stdout.hasPrefix("vault "), "\(whole)")
        }

        @Test func aCustodianKeySwappedInRootSharesIsRefusedBeforeTheVaultOpens() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            v.stop()
            // Someone who can write the data directory puts their own key in custodian 1's place,
            // so that the next rotation would seal a share to them.
            let path = v.data + "/root.shares"
            var set = try KeyFiles.readSecret(kind: .rootShareSet, path: path).withUnsafeBytes { Array($0) }
            set.replaceSubrange((19 + 32)..<(19 + 64), with: try KeyFiles.readPublic(path: v.keys + "/admin.key.pub").bytes)
            unlink(path)
            let file = set.withUnsafeBytes { KeyFileFormat.encode(kind: .rootShareSet, key: $0) }
            try file.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
            try v.start()
            try SealTests.unseal(v, 1)
            let second = try v.haven(as: SealTests.custodian(2), ["operator", "unseal", "--share", try SealTests.share(v, 2)])
            #expect(second.status != 0 && second.stderr.contains("changed outside Haven"), "\(second)")
            #expect(try SealTests.sealStatus(v).sealed)
        }

        /// Someone who can write the data directory rewrites root.shares as version 1 (the
        /// same check values, custodian list and tag dropped) to lift the custodian checks:
        /// the vault's log names its custodians, so the set is refused at unseal.
        @Test func aShareSetDowngradedToVersionOneIsRefusedAtUnseal() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            v.stop()
            let path = v.data + "/root.shares"
            let members = try (1...3).map { i in try ShareFile(bytes: SecureBytes(count: ShareFile.byteCount) { out in
                try SealTests.shareBytes(v, i).withUnsafeBytes { out.copyMemory(from: $0) } }, what: "share \(i)") }
            try Self.writeShareSet(try ShareSet(shares: members), path)
            try v.start()
            try SealTests.unseal(v, 1)
            let second = try v.haven(as: SealTests.custodian(2), ["operator", "unseal", "--share", try SealTests.share(v, 2)])
            #expect(second.status != 0 && second.stderr.contains("replaced with an older kind"), "\(second)")
            #expect(try SealTests.sealStatus(v).sealed)
        }

        static func writeShareSet(_ set: ShareSet, _ path: String) throws {
            unlink(path)
            try set.bytes.withUnsafeBytes { b in
                try KeyFileFormat.encode(kind: .rootShareSet, key: b).withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
            }
        }

        /// A vault made before custodian keys (its log names none): a version-1 share set and
        /// shares in clear. They still unseal it; its first rotation needs the custodians'
        /// keys, seals to them, and is audited as the first split whose custodians are known.
        @Test func aVaultOfSharesInClearStillOpensAndRotatesToCustodianKeys() throws {
            let v = try TestVault(enrol: false)
            let status = try v.expectOK(as: "admin", ["operator", "status", "--json"])
            let vault = try VaultID(try JSONDecoder().decode(SealStatus.self, from: Data(status.stdout.utf8)).vaultID ?? "")
            v.stop()
            // Its key split as version 1 did: the check values only, and each share in clear.
            let rootPath = v.data + "/root.key"
            let members = try Shamir.split(try KeyFiles.readSecret(kind: .rootKey, path: rootPath), threshold: 2, count: 3).map {
                (s) throws(HavenError) in try ShareFile(share: s, vault: vault, threshold: 2, count: 3)
            }
            try Self.writeShareSet(try ShareSet(shares: members), v.data + "/root.shares")
            unlink(rootPath)
            let clear = try (1...3).map { i -> String in
                let p = v.root + "/clear-\(i).key"
                try members[i - 1].bytes.withUnsafeBytes { b in
                    try KeyFileFormat.encode(kind: .rootKeyShare, key: b).withUnsafeBytes { try KeyFiles.create(path: p, contents: $0, mode: 0o600) }
                }
                return p
            }
            try v.start()
            for i in [1, 3] { try v.expectOK(as: nil, ["operator", "unseal", "--share", clear[i - 1]]) }
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Old Custody", "incident_type": "rape"])
            // No list of custodians to seal to: the administrator names them.
            let unnamed = try v.haven(as: "admin", ["operator", "rotate-root", "--share-out", v.root + "/unnamed"])
            #expect(unnamed.status == 1 && unnamed.stderr.contains("before custodian keys"), "\(unnamed)")
            let keys = SealTests.custodians.flatMap { ["--custodian-key", v.keys + "/\($0).key.pub"] }
            let started = try Self.start(v, out: v.root + "/sealed", keys)
            for i in [2, 3] {
                try v.expectOK(as: nil, ["operator", "rotate-root", "--commit", started.pending, "--share", clear[i - 1]])
            }
            let log = try v.expectOK(as: "auditor", ["audit", "log", "--json", "--limit", "5000"]).stdout
            #expect(log.contains("not known before this split"), "\(log.suffix(2000))")
            try v.expectOK(as: "admin", ["operator", "seal"])
            for i in [1, 2] { try SealTests.unseal(v, i, share: started.share_files[i - 1]) }
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the first sealed split"])
            let path = v.data + "/root.shares"
            let now = try ShareSet(bytes: try KeyFiles.readSecret(kind: .rootShareSet, path: path).withUnsafeBytes { Array($0) })
            #expect(now.version == 2 && now.custodians.count == 3)
            // From here on the log names the custodians: the new split written back as version 1 is refused.
            v.stop()
            let split = try (1...3).map { i in
                try StoredShare.read(path: started.share_files[i - 1]).open(what: "share") { () throws(HavenError) -> SigningKey in
                    do { return try v.signingKey(SealTests.custodian(i)) } catch { throw HavenError(.invalidKey, "\(error)") }
                }
            }
            try Self.writeShareSet(try ShareSet(shares: split), path)
            try v.start()
            try SealTests.unseal(v, 1, share: started.share_files[0])
            let back = try v.haven(as: SealTests.custodian(2), ["operator", "unseal", "--share", started.share_files[1]])
            #expect(back.status != 0 && back.stderr.contains("replaced with an older kind"), "\(back)")
        }

        @Test func sharesWithoutCustodianKeysAreRefusedAtInit() throws {
            let t = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: t.data)
            let base = ["init", "--data", t.data, "--admin-key", t.keys + "/admin.key.pub", "--seal", "shares", "--threshold", "2",
                        "--share-out", t.root + "/shares"]
            let none = try Command.run(TestVault.haven, base + ["--shares", "3"])
            #expect(none.status == 2 && none.stderr.contains("--custodian-key") && none.stderr.contains("haven key generate"), "\(none)")
            let keys = SealTests.custodians.flatMap { ["--custodian-key", t.keys + "/\($0).key.pub"] }
            let mismatch = try Command.run(TestVault.haven, base + ["--shares", "4"] + keys)
            #expect(mismatch.status == 2 && mismatch.stderr.contains("one custodian key per share"), "\(mismatch)")
            #expect(!FileManager.default.fileExists(atPath: t.data))
        }
    }
}
