import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The per-connection challenge: unknown keys, revoked users, replayed or altered
    /// transcripts and the wrong uid are refused (401, exit 3), and the daemon keeps serving.
    @Suite struct AuthenticationTests {
        @Test func unknownKeyIsRefused() throws {
            let v = try TestVault()
            try v.newKey("stranger")
            let r = try v.haven(as: "stranger", ["status"])
            #expect(r.status == 3)
            #expect(r.stderr.hasPrefix("haven: authentication_failed:"))
            try v.expectOK(as: "admin", ["status"])
        }

        @Test func revokedUserIsRefusedAtOnceEvenOnAnOpenConnection() async throws {
            let v = try TestVault()
            let open = try await v.client(as: "police")
            let before = try await open.connection.send(method: .GET, path: "/v1/status")
            #expect(before.status == 200)
            try v.expectOK(as: "admin", ["user", "revoke", "police"])
            let after = try await open.connection.send(method: .GET, path: "/v1/status")
            #expect(after.status == 401)
            #expect(String(decoding: after.body, as: UTF8.self).contains("\"code\":\"unauthenticated\""))
            await open.close()
            let r = try v.haven(as: "police", ["status"])
            #expect(r.status == 3)
            try v.expectOK(as: "admin", ["status"])
        }

        /// `--vault-id` / HAVEN_VAULT_ID on the local socket: the vault's own id is served; another
        /// is refused (exit 3) before the challenge is answered, so the daemon records no
        /// session attempt at all for that user.
        @Test func aPinnedVaultIDThatDiffersSignsNothing() throws {
            let v = try TestVault()
            let name = "pinned-\(UInt32.random(in: 0...UInt32.max))"
            try v.enrol(name, role: "intake", agency: "ossc-vientiane")
            let status = try v.expectOK(as: "admin", ["status", "--json"]).stdout
            let id = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any])["vault_id"] as? String
            let vaultID = try #require(id)

            let wrong = try Command.run(TestVault.haven, ["status", "--socket", v.socket, "--key", v.keyPath(name)],
                                        environment: ["HAVEN_VAULT_ID": "vault-of-someone-else"])
            #expect(wrong.status == 3, "\(wrong)")
            #expect(wrong.stderr == "haven: denied: the vault that answered is \(vaultID), not the one you named (vault-of-someone-else): nothing was signed "
                    + "(hint: check --vault-id or HAVEN_VAULT_ID against the id the vault's operator gave you; if it is right, the host you reached is not that vault's)\n",
                    "\(wrong)")
            let none = try v.expectOK(as: "auditor", ["audit", "log", "--user", name, "--sessions", "--all"]).stdout
            #expect(!none.contains("auth.session"), "\(none)")

            // The right id, before the subcommand as a global option, wins over the environment.
            let right = try Command.run(TestVault.haven, ["--vault-id", vaultID, "status", "--socket", v.socket, "--key", v.keyPath(name)],
                                        environment: ["HAVEN_VAULT_ID": "vault-of-someone-else"])
            #expect(right.status == 0 && right.stdout.contains(name), "\(right)")
            let one = try v.expectOK(as: "auditor", ["audit", "log", "--user", name, "--sessions", "--all"]).stdout
            #expect(one.contains("auth.session"), "\(one)")
        }

        /// A signed transcript captured from one connection is worthless on another, and on
        /// its own connection once used.
        @Test func replayedTranscriptIsRefused() async throws {
            let v = try TestVault()
            let key = try v.signingKey("intake")
            let first = try await ClientConnection.connect(socketPath: v.socket, group: .singletonMultiThreadedEventLoopGroup)
            let challenge = try JSONDecoder().decode(ChallengeResponse.self,
                                                     from: Data(try await first.send(method: .POST, path: "/v1/auth/challenge").body))
            let publicKey = Base64.encode(key.publicKey.bytes)
            let transcript = AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: getuid(), pid: getpid(),
                                                  publicKey: publicKey)
            let body = try JSONEncoder().encode(SessionRequest(publicKey: publicKey, signature: Base64.encode(key.sign(transcript))))
            #expect(try await first.send(method: .POST, path: "/v1/auth/session", body: [UInt8](body)).status == 200)
            // Same connection, same transcript again: the challenge was single-use.
            #expect(try await first.send(method: .POST, path: "/v1/auth/session", body: [UInt8](body)).status == 401)

            let second = try await ClientConnection.connect(socketPath: v.socket, group: .singletonMultiThreadedEventLoopGroup)
            _ = try await second.send(method: .POST, path: "/v1/auth/challenge")
            let replay = try await second.send(method: .POST, path: "/v1/auth/session", body: [UInt8](body))
            #expect(replay.status == 401)
            #expect(try await second.send(method: .GET, path: "/v1/status").status == 401)
            await first.close()
            await second.close()
        }

        @Test func alteredTranscriptIsRefused() async throws {
            let v = try TestVault()
            let intake = try v.signingKey("intake")
            let police = try v.signingKey("police")
            for alteration in ["signature", "key", "pid"] {
                let c = try await ClientConnection.connect(socketPath: v.socket, group: .singletonMultiThreadedEventLoopGroup)
                let ch = try JSONDecoder().decode(ChallengeResponse.self,
                                                  from: Data(try await c.send(method: .POST, path: "/v1/auth/challenge").body))
                let pk = Base64.encode(intake.publicKey.bytes)
                let pid = alteration == "pid" ? getpid() + 1 : getpid()
                var sig = intake.sign(AuthTranscript.bytes(vaultID: ch.vaultID, nonce: ch.nonce, uid: getuid(), pid: pid, publicKey: pk))
                var claimed = pk
                if alteration == "signature" { sig[10] ^= 1 }
                if alteration == "key" { claimed = Base64.encode(police.publicKey.bytes) }
                let body = try JSONEncoder().encode(SessionRequest(publicKey: claimed, signature: Base64.encode(sig)))
                let r = try await c.send(method: .POST, path: "/v1/auth/session", body: [UInt8](body))
                #expect(r.status == 401, "altered \(alteration)")
                await c.close()
            }
            try v.expectOK(as: "intake", ["status"])
        }

        @Test func userBoundToAnotherUidIsRefused() throws {
            let v = try TestVault()
            try v.enrol("bound-elsewhere", role: "police", agency: "police-vientiane", uid: getuid() &+ 4242)
            try v.enrol("bound-here", role: "police", agency: "police-vientiane", uid: getuid())
            let r = try v.haven(as: "bound-elsewhere", ["status"])
            #expect(r.status == 3, "\(r)")
            try v.expectOK(as: "bound-here", ["status"])
        }

        @Test func requestsWithoutASessionAreRefused() async throws {
            let v = try TestVault()
            let anonymous = try await v.client(as: nil)
            let r = try await anonymous.connection.send(method: .GET, path: "/v1/records")
            #expect(r.status == 401)
            #expect(String(decoding: r.body, as: UTF8.self).contains("\"code\":\"unauthenticated\""))
            await anonymous.close()
        }
    }
}
