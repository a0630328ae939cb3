import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A vault whose root key is sealed by custodians' shares or by a passphrase, with the
    /// real binaries: havend starts sealed and serves nothing; shares count one by one and
    /// only this vault's current ones; a wrong passphrase changes nothing; an administrator
    /// seals it again; every attempt is audited once it opens.
    @Suite struct SealTests {
        /// Three custodians, each with their own key (the demo users' keys serve: each is a real
        /// Ed25519 key made by 'haven key generate'); share i is sealed to custodian i.
        static let custodians = ["counsellor", "health", "police"]
        static let shares = ["--seal", "shares", "--threshold", "2", "--share-out", "{root}/shares"]
            + custodians.flatMap { ["--custodian-key", "{root}/keys/\($0).key.pub"] }

        static func custodian(_ i: Int) -> String { custodians[i - 1] }

        /// Custodian i unseals with their own share and key, in a process of their own.
        @discardableResult
        static func unseal(_ v: TestVault, _ i: Int, share: String? = nil) throws -> CommandResult {
            try v.expectOK(as: custodian(i), ["operator", "unseal", "--share", try share ?? Self.share(v, i)])
        }

        static func sealStatus(_ v: TestVault) throws -> SealStatus {
            let r = try v.expectOK(as: nil, ["operator", "status", "--json"])
            return try JSONDecoder().decode(SealStatus.self, from: Data(r.stdout.utf8))
        }

        static func share(_ v: TestVault, _ i: Int) throws -> String {
            let dir = v.root + "/shares"
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix("-share-\(i)-of-3.key") })
            return dir + "/" + name
        }

        /// Sends a share's bytes as they are, past the CLI's own check, so the daemon's is tested.
        static func offerRaw(_ v: TestVault, share: [UInt8]) async throws -> (status: Int, body: String) {
            let client = try await HavenClient.connect(socketPath: v.socket, key: nil)
            let body = try JSONEncoder().encode(UnsealRequest(share: Data(share).base64EncodedString()))
            let r = try await client.connection.send(method: .POST, path: "/v1/operator/unseal", body: Array(body))
            await client.close()
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }

        /// The share in a sealed share file, opened with its custodian's key (as the CLI does).
        static func shareBytes(_ v: TestVault, _ i: Int) throws -> [UInt8] {
            let share = try StoredShare.read(path: try Self.share(v, i)).open(what: "share") { () throws(HavenError) -> SigningKey in
                do { return try v.signingKey(custodian(i)) } catch { throw HavenError(.invalidKey, "\(error)") }
            }
            return share.bytes.withUnsafeBytes { Array($0) }
        }

        @Test func twoOfThreeSharesUnsealAndOnlyThisVaultsIntactSharesCount() async throws {
            let v = try TestVault(enrol: false, initArguments: Self.shares)
            // No root key anywhere near the data; each share file is its custodian's alone.
            #expect(!FileManager.default.fileExists(atPath: v.data + "/root.key"))
            for i in 1...3 {
                let mode = try #require(try FileManager.default.attributesOfItem(atPath: try Self.share(v, i))[.posixPermissions] as? Int)
                #expect(mode == 0o600)
            }

            // Sealed: status says so, and nothing is served (exit 5), not even authentication.
            var s = try Self.sealStatus(v)
            #expect(s.sealed && s.seal == "shares" && s.needed == 2 && s.vaultID == nil && s.received == nil && s.shares == nil)
            let status = try v.haven(as: "admin", ["status"])
            #expect(status.status == 5 && status.stderr.contains("sealed: 2 more shares needed"), "\(status)")
            let list = try v.haven(as: "admin", ["user", "list"])
            #expect(list.status == 5 && list.stderr.hasPrefix("haven: sealed:"), "\(list)")
            let health = try await HavenClient.connect(socketPath: v.socket, key: nil)
            let h: HealthResponse = try await health.get("/v1/health")
            #expect(h.sealed)
            await health.close()

            // A share of another vault, and a corrupted share, are named and do not count.
            let other = try TestVault(enrol: false, start: false, initArguments: Self.shares)
            let foreign = try v.haven(as: Self.custodian(1), ["operator", "unseal", "--share", try Self.share(other, 1)])
            #expect(foreign.status == 1 && foreign.stderr.contains("is a share of vault"), "\(foreign)")
            var damaged = try Self.shareBytes(v, 2)
            damaged[30] ^= 0x01
            let corrupt = try await Self.offerRaw(v, share: damaged)
            #expect(corrupt.status == 400 && corrupt.body.contains("damaged"), "\(corrupt)")
            // A consistent forgery (check recomputed) is still not one of this vault's shares.
            #expect(try Self.sealStatus(v).needed == 2)

            // One share leaves it sealed; the same share twice counts once; a second opens it.
            let first = try Self.unseal(v, 3)
            #expect(first.stdout.contains("sealed: 1 more share needed"), "\(first)")
            let again = try v.haven(as: Self.custodian(3), ["operator", "unseal", "--share", try Self.share(v, 3)])
            #expect(again.status == 1 && again.stderr.contains("already been entered"), "\(again)")
            #expect(try v.haven(as: "admin", ["status"]).status == 5)
            let second = try Self.unseal(v, 1)
            #expect(second.stdout.hasPrefix("unsealed"), "\(second)")
            s = try Self.sealStatus(v)
            #expect(!s.sealed)

            // Serving: users, records, the log — and every attempt is in it, with its peer.
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Sealed Survivor", "incident_type": "rape"])
            let entries = try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.unseal" }
            #expect(entries.count == 5, "\(entries.map { "\($0.decision) \($0.rule)" })")
            #expect(entries.filter { $0.decision == "allow" }.count == 2)
            #expect(entries.allSatisfy { $0.peer?.uid == getuid() })
            #expect(entries.contains { $0.decision == "deny" && $0.rule.contains("is a share of vault") })

            // An administrator seals it: sessions end, nothing is served, the record is kept.
            let intake = try await v.client(as: "intake")
            let denied = try v.haven(as: "intake", ["operator", "seal"])
            #expect(denied.status == 3, "\(denied)")
            let sealed = try v.expectOK(as: "admin", ["operator", "seal"])
            #expect(sealed.stdout.contains("sealed: 2 more shares needed"), "\(sealed)")
            let late = try await intake.connection.send(method: .GET, path: "/v1/status")
            #expect(late.status == 503 && String(decoding: late.body, as: UTF8.self).contains(#""code":"sealed""#))
            await intake.close()
            #expect(try v.haven(as: "intake", ["record", "get", id, "--purpose", "while sealed"]).status == 5)
            for i in [2, 3] { try Self.unseal(v, i) }
            let read = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "after unsealing again"])
            #expect(read.fields["survivor_name"] == "Sealed Survivor")
            let log = try v.auditLog(["--limit", "5000"])
            let seal = try #require(log.last { $0.action == "vault.seal" && $0.decision == "allow" })
            #expect(seal.actor?.user == "admin")
            #expect(log.contains { $0.action == "vault.seal" && $0.decision == "deny" && $0.actor?.user == "intake" })
            try v.expectOK(as: "auditor", ["audit", "verify"])
            v.stop()
            // Restarted, it is sealed again: the shares were never written anywhere.
            try v.start()
            #expect(try Self.sealStatus(v).sealed)
        }

        /// A passphrase file for a test, 0600, outside any vault.
        static func passphraseFile(_ text: String) throws -> String {
            let path = "/tmp/hv-pass-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600])
            return path
        }

        @Test func aPassphraseUnsealsAndAWrongOneChangesNothing() throws {
            let right = try Self.passphraseFile("correct horse battery staple")
            let wrong = try Self.passphraseFile("correct horse battery stapler")
            let short = try Self.passphraseFile("too short")
            defer { for f in [right, wrong, short] { unlink(f) } }
            let refused = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.removeItem(atPath: refused.data)
            let tooShort = try Command.run(TestVault.haven, ["init", "--data", refused.data, "--admin-key", refused.keys + "/admin.key.pub",
                                                            "--seal", "passphrase", "--passphrase-file", short])
            #expect(tooShort.status == 1 && tooShort.stderr.contains("at least 12 bytes")
                    && !FileManager.default.fileExists(atPath: refused.data), "\(tooShort)")

            let v = try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", right])
            #expect(!FileManager.default.fileExists(atPath: v.data + "/root.key"))
            #expect(try Self.sealStatus(v).seal == "passphrase")
            #expect(try v.haven(as: "admin", ["user", "list"]).status == 5)

            // A wrong passphrase: refused (exit 3), still sealed, not a byte of the vault changed.
            let before = try v.dataFiles().map { FileManager.default.contents(atPath: $0) }
            let bad = try v.haven(as: nil, ["operator", "unseal", "--passphrase-file", wrong])
            #expect(bad.status == 3 && bad.stderr.contains("does not open this vault"), "\(bad)")
            #expect(try Self.sealStatus(v).sealed)
            #expect(try v.dataFiles().map { FileManager.default.contents(atPath: $0) } == before)

            try v.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", right])
            try v.enrolStandardUsers()
            let id = try v.createRecord(["survivor_name": "Passphrase Survivor", "incident_type": "rape"])
            let attempts = try v.auditLog(["--limit", "5000"]).filter { $0.action == "vault.unseal" }
            #expect(attempts.map(\.decision) == ["deny", "allow"], "\(attempts)")
            #expect(attempts[0].outcome == "authentication_failed")
            // The passphrase itself is in no file of the vault.
            for file in try v.dataFiles() {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                #expect(bytes.range(of: Data("correct horse".utf8)) == nil, "\(file)")
            }

            // A root key file put beside a sealed vault would open it without the seal: refused.
            v.stop()
            let other = try TestVault(enrol: false, start: false, distinct: true)
            try FileManager.default.copyItem(atPath: other.data + "/root.key", toPath: v.data + "/root.key")
            let planted = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(planted.status == 1 && planted.stderr.contains("is sealed, yet a root key file exists"), "\(planted)")
            try FileManager.default.removeItem(atPath: v.data + "/root.key")
            try v.start()
            try v.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", right])
            #expect(try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "after restart"])
                .fields["survivor_name"] == "Passphrase Survivor")
        }
    }
}
