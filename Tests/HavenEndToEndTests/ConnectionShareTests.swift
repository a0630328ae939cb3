import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Authenticated connections are shared out: per user, per peer uid, and the ordinary
    /// roles' total, which keeps the last connections for administrators. One enrolled user
    /// (even the analyst) flooding the socket is refused with 429 `too_many_connections`
    /// while everyone else is served; the refusals are audited, but not one entry each.
    @Suite struct ConnectionShareTests {
        /// Opens a session on a new raw connection; its answer, and the connection if it was opened.
        static func session(_ v: TestVault, as user: String) async throws -> (RawResponse, RawConnection) {
            let key = try v.signingKey(user)
            let c = try await RawConnection.connect(v.socket)
            guard let ch = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/challenge")), ch.status == 200,
                  let challenge = try? JSONDecoder().decode(ChallengeResponse.self, from: Data(ch.body)) else {
                throw TestFailure("no challenge")
            }
            let pk = Base64.encode(key.publicKey.bytes)
            let sig = key.sign(AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: getuid(), pid: getpid(), publicKey: pk))
            let body = String(decoding: try JSONEncoder().encode(SessionRequest(publicKey: pk, signature: Base64.encode(sig))), as: UTF8.self)
            guard let answer = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/session", body: body)) else {
                throw TestFailure("no answer to the session request")
            }
            return (answer, c)
        }

        static func code(_ r: RawResponse) -> String? {
            (try? JSONDecoder().decode(ErrorBody.self, from: Data(r.body)))?.error.code
        }

        /// The `auth.session` entries refused for too many connections, by user.
        static func refusalEntries(_ v: TestVault) throws -> [String] {
            try v.withDatabase { db -> [String] in
                let s = try db.statement("SELECT entry FROM audit_entries WHERE action = 'auth.session' ORDER BY seq")
                var out = [String]()
                while try s.step() {
                    let entry = String(decoding: s.blob(0), as: UTF8.self)
                    if entry.contains("too_many_connections") { out.append(entry) }
                }
                return out
            }
        }

        /// The analyst opens connection after connection: past their share each session is
        /// refused (429, a stable code, the connection closed), and meanwhile another user and
        /// the administrator authenticate and are served. Thirty refusals are one entry.
        @Test func oneUsersFloodLeavesEveryoneElseServed() async throws {
            let v = try TestVault(daemonArguments: ["--max-connections-per-user", "8"])
            var held = [RawConnection]()
            var refused = [RawResponse]()
            for _ in 0..<40 {
                let (answer, c) = try await Self.session(v, as: "analyst")
                if answer.status == 200 { held.append(c) } else { refused.append(answer); await c.close() }
            }
            #expect(held.count == 8, "the analyst holds \(held.count) sessions, over their share of 8")
            #expect(refused.count == 32)
            #expect(refused.allSatisfy { $0.status == 429 && Self.code($0) == "too_many_connections" }, "\(refused.first.map(\.text) ?? "")")
            #expect(refused.first?.text.contains("the most one user may") == true, "\(refused.first?.text ?? "")")

            // Everyone else is served while the analyst holds their share.
            let intake = try v.expectOK(as: "intake", ["status"])
            #expect(intake.stdout.contains("intake"))
            try v.expectOK(as: "admin", ["user", "list"])
            // The analyst's own held sessions still work.
            let status = await held[0].exchange(FuzzCorpus.request("GET", "/v1/status"))
            #expect(status?.status == 200)

            // Audited, but bounded: one entry for the first refusal of the minute.
            let entries = try Self.refusalEntries(v)
            #expect(entries.count == 1, "\(entries.count) entries for 32 refusals")
            // Closing sessions gives the share back.
            for c in held { await c.close() }
            try await Task.sleep(for: .milliseconds(300))
            let (again, c) = try await Self.session(v, as: "analyst")
            #expect(again.status == 200, "\(again.text)")
            await c.close()
        }

        /// Many ordinary users together fill the ordinary roles' share of the connections;
        /// the next ordinary user is refused, and the administrator — a role that manages
        /// users — still gets one of the reserved connections and is served.
        @Test func aCrowdOfOrdinaryUsersLeavesTheAdministratorsSlots() async throws {
            // Ordinary sessions: 60 − 16 unauthenticated − 4 reserved = 40.
            let v = try TestVault(daemonArguments: ["--max-connections", "60", "--max-unauthenticated", "16",
                                                    "--max-unauthenticated-per-uid", "16", "--reserved-connections", "4",
                                                    "--max-connections-per-user", "10", "--max-connections-per-uid", "100"])
            var held = [RawConnection]()
            for user in ["intake", "counsellor", "health", "police"] {
                for _ in 0..<10 {
                    let (answer, c) = try await Self.session(v, as: user)
                    #expect(answer.status == 200, "\(user): \(answer.text)")
                    held.append(c)
                }
            }
            let (late, c) = try await Self.session(v, as: "court")
            #expect(late.status == 429 && Self.code(late) == "too_many_connections", "\(late.text)")
            #expect(late.text.contains("kept for administrators"), "\(late.text)")
            await c.close()
            let refusedCLI = try v.haven(as: "analyst", ["status"])
            #expect(refusedCLI.status == 5 && refusedCLI.stderr.hasPrefix("haven: too_many_connections:"), "\(refusedCLI)")

            let admin = try v.expectOK(as: "admin", ["user", "list"])
            #expect(admin.stdout.contains("analyst"))
            for c in held { await c.close() }
        }

        /// One Unix account's ordinary sessions, whichever users they are, fill its share; a
        /// user on another uid (65534 through setpriv) and the administrator on the full one
        /// still get in.
        @Test(.enabled(if: EndToEnd.HostileUserTests.canSwitchUsers, "needs root and setpriv to run a client as another uid"))
        func oneAccountsSessionsLeaveOtherAccountsServed() async throws {
            let v = try TestVault(daemonArguments: ["--max-connections-per-uid", "6"])
            var held = [RawConnection]()
            for user in ["analyst", "police", "health"] {
                for _ in 0..<2 {
                    let (answer, c) = try await Self.session(v, as: user)
                    #expect(answer.status == 200, "\(user): \(answer.text)")
                    held.append(c)
                }
            }
            let (full, c) = try await Self.session(v, as: "court")
            #expect(full.status == 429 && full.text.contains("the most one uid may"), "\(full.text)")
            await c.close()
            let (cli, key) = try PublicKeyLockoutTests.runAsNobody(v, user: "court")
            let other = try PublicKeyLockoutTests.asNobody(v, cli, key, ["status"])
            #expect(other.status == 0 && other.stdout.contains("court"), "\(other)")
            try v.expectOK(as: "admin", ["user", "list"])
            for c in held { await c.close() }
        }

        /// A daemon whose ordinary sessions would get nothing refuses to start, naming the flags.
        @Test func limitsThatLeaveNothingForOrdinarySessionsRefuseTheStart() throws {
            let v = try TestVault(start: false)
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy,
                                                       "--max-connections", "100", "--max-unauthenticated", "64",
                                                       "--reserved-connections", "36"])
            #expect(r.status == 1 && r.stderr.contains("--max-connections (100) must be more than"), "\(r)")
        }
    }
}
