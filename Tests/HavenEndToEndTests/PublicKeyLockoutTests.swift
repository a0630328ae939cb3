import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A public key is not a secret: a member of the socket's group holding only a user's
    /// public key, sending signatures that fail, locks out their own attempts with it —
    /// never the user, who still authenticates from their own uid, and never the other
    /// users of the attacker's uid. An administrator lifts a lockout at once, audited.
    ///
    /// The suite runs as root; the user is played by uid 65534 (`nobody`, through setpriv,
    /// as in `HostileUserTests`), the attacker by the test process. Without root and setpriv
    /// the test is skipped. Two users sharing one Unix account cannot be told apart by the
    /// daemon: there, failures with U's key from that account do lock U's attempts from it
    /// (bind users to uids of their own, `haven user add --uid`).
    @Suite struct PublicKeyLockoutTests {
        /// Sends a session request claiming `publicKey` with a signature that cannot verify.
        static func failWithPublicKey(_ v: TestVault, _ publicKey: [UInt8]) async throws -> RawResponse {
            let c = try await RawConnection.connect(v.socket)
            defer { Task { await c.close() } }
            guard let ch = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/challenge")), ch.status == 200 else {
                throw TestFailure("no challenge")
            }
            let forged = SessionRequest(publicKey: Base64.encode(publicKey), signature: Base64.encode(Random.bytes(64)))
            let body = String(decoding: try JSONEncoder().encode(forged), as: UTF8.self)
            guard let answer = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/session", body: body), timeout: .seconds(30)) else {
                throw TestFailure("no answer")
            }
            return answer
        }

        /// Lets uid 65534 reach the socket and run its own copy of the CLI with `user`'s key.
        static func runAsNobody(_ v: TestVault, user: String) throws -> (cli: String, key: String) {
            chmod(v.root, 0o711)
            chown(v.socket, 0, 65534)
            let cli = v.root + "/haven-cli", key = v.root + "/nobody.key"
            if !FileManager.default.fileExists(atPath: cli) {
                try FileManager.default.copyItem(atPath: TestVault.haven, toPath: cli)
                chmod(cli, 0o755)
            }
            try? FileManager.default.removeItem(atPath: key)
            try FileManager.default.copyItem(atPath: v.keyPath(user), toPath: key)
            chown(key, 65534, 65534)
            return (cli, key)
        }

        static func asNobody(_ v: TestVault, _ cli: String, _ key: String, _ arguments: [String]) throws -> CommandResult {
            try Command.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", cli]
                            + arguments + ["--socket", v.socket, "--key", key])
        }

        @Test(.enabled(if: EndToEnd.HostileUserTests.canSwitchUsers, "needs root and setpriv to run a client as another uid"))
        func aPublicKeyAloneLocksOutOnlyItsHoldersOwnAttempts() async throws {
            let v = try TestVault(daemonArguments: ["--auth-lockout-failures", "4", "--auth-lockout-seconds", "600"])
            let id = try v.createRecord(["incident_type": "rape"])
            // The counsellor works from uid 65534; the attacker has only the counsellor's public key.
            let (cli, key) = try Self.runAsNobody(v, user: "counsellor")
            let victim = try v.signingKey("counsellor").publicKey.bytes
            var answers = [RawResponse]()
            for _ in 0..<12 { answers.append(try await Self.failWithPublicKey(v, victim)) }
            #expect(answers.prefix(4).allSatisfy { $0.status == 401 }, "\(answers.map(\.status))")
            #expect(answers.suffix(8).allSatisfy { $0.status == 429 && $0.text.contains("locked_out") }, "\(answers.map(\.status))")

            // The counsellor, from their own uid, is not locked out, however often the attacker tries.
            let own = try Self.asNobody(v, cli, key, ["status"])
            #expect(own.status == 0 && own.stdout.contains("counsellor"), "\(own)")
            // Nor are the other users of the attacker's uid, the administrator included.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "the same uid as the attacker"])
            try v.expectOK(as: "admin", ["user", "list"])
            // Only the attacker's attempts with that key are: even the real key, from the attacker's uid.
            let fromAttackersUid = try v.haven(as: "counsellor", ["status"])
            #expect(fromAttackersUid.status == 3 && fromAttackersUid.stderr.hasPrefix("haven: locked_out:"), "\(fromAttackersUid)")
            #expect(fromAttackersUid.stderr.contains("haven user unlock"), "the hint names the way out")
        }

        /// `haven user unlock NAME` lifts every lockout of the user's key, is refused to a role
        /// that does not manage users, and is an audit entry naming the user and the key.
        @Test func anAdministratorLiftsALockoutAndItIsAudited() async throws {
            let v = try TestVault(daemonArguments: ["--auth-lockout-failures", "3", "--auth-lockout-seconds", "600"])
            let victim = try v.signingKey("police").publicKey.bytes
            for _ in 0..<4 { _ = try await Self.failWithPublicKey(v, victim) }
            let locked = try v.haven(as: "police", ["status"])
            #expect(locked.status == 3 && locked.stderr.hasPrefix("haven: locked_out:"), "\(locked)")

            let notAdmin = try v.haven(as: "intake", ["user", "unlock", "police"])
            #expect(notAdmin.status == 3 && notAdmin.stderr.hasPrefix("haven: denied:"), "\(notAdmin)")
            let unknown = try v.haven(as: "admin", ["user", "unlock", "nobody-here"])
            #expect(unknown.status == 4, "\(unknown)")

            let lifted = try v.json(UnlockUserResponse.self, as: "admin", ["user", "unlock", "police"])
            #expect(lifted.user == "police" && lifted.lockoutsLifted == 1)
            let line = try v.expectOK(as: "admin", ["user", "unlock", "police"])
            #expect(line.stdout == "unlocked police (key \(lifted.keyID)): 0 lockouts lifted\n", "\(line)")
            let served = try v.expectOK(as: "police", ["status"])
            #expect(served.stdout.contains("police"))

            let entries = try v.auditLog(["--user", "admin"]).filter { $0.action == "user.unlock" && $0.detail["user"] == "police" }
            #expect(entries.count == 2)
            #expect(entries.first?.detail["user"] == "police" && entries.first?.detail["key_id"] == lifted.keyID
                    && entries.first?.detail["lockouts"] == "1" && entries.first?.decision == "allow", "\(entries)")
            let refused = try v.auditLog(["--user", "intake"]).filter { $0.action == "user.unlock" }
            #expect(refused.count == 1 && refused.first?.decision == "deny")
        }
    }
}
