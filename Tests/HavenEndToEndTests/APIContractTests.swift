import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenTestSupport
import NIOHTTP1
import Testing

extension EndToEnd {
    /// openapi.yaml against the real daemon: every operation is called as it is meant to be
    /// and in the ways it is refused, and every answer must be a status the document
    /// declares for that operation, with a body its schema (required members included) accepts.
    @Suite struct APIContractTests {
        /// Sends requests as any user (nil: no session) and keeps what disagreed with the document.
        final class Probe {
            let v: TestVault
            let doc: OpenAPIDocument
            var clients = [String: HavenClient]()
            var findings = [String]()
            var seen = [String: Set<Int>]()

            init(_ v: TestVault) throws {
                self.v = v
                doc = try OpenAPIDocument()
            }

            /// The answer's status and body, after checking both against the document.
            @discardableResult
            func call(_ user: String?, _ method: HTTPMethod, _ path: String, _ body: String? = nil,
                      contentType: String = "application/json", fresh: Bool = false) async throws -> (Int, String) {
                let who = user ?? "-"
                if fresh, let old = clients.removeValue(forKey: who) { await old.close() }
                let client: HavenClient
                if let c = clients[who] {
                    client = c
                } else {
                    client = try await v.client(as: user)
                    clients[who] = client
                }
                let r = try await client.connection.send(method: method, path: path, body: body.map { Array($0.utf8) },
                                                        contentType: contentType)
                if r.status >= 400 || fresh {
                    // The daemon may close a connection after refusing it: the next call opens another.
                    clients.removeValue(forKey: who)
                    await client.close()
                }
                guard let operation = doc.operation(method: method.rawValue, path: path) else {
                    findings.append("\(method.rawValue) \(path): no operation in the document")
                    return (r.status, "")
                }
                seen[operation, default: []].insert(r.status)
                if let problem = doc.problem(operation, status: r.status, body: r.body) { findings.append(problem) }
                return (r.status, String(decoding: r.body, as: UTF8.self))
            }

            /// Closes the user's connection; the next call opens another.
            func drop(_ user: String?) async {
                await clients.removeValue(forKey: user ?? "-")?.close()
            }

            func close() async {
                for c in clients.values { await c.close() }
            }
        }

        @Test func everyAnswerIsDeclaredAndMatchesItsSchema() async throws {
            let v = try TestVault()
            let p = try Probe(v)
            let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
            let create = #"{"type":"gbv_incident","fields":{"survivor_name":"Contract Survivor","incident_type":"rape"}}"#

            try await p.call(nil, .GET, "/v1/health")
            // The handshake of AUTHENTICATION.md, on the probe's own connection.
            let (_, challengeText) = try await p.call(nil, .POST, "/v1/auth/challenge")
            let challenge = try JSONDecoder().decode(ChallengeResponse.self, from: Data(challengeText.utf8))
            let key = try v.signingKey("intake")
            let pk = Base64.encode(key.publicKey.bytes)
            let signature = key.sign(AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: getuid(),
                                                          pid: getpid(), publicKey: pk))
            let session = String(decoding: try JSONEncoder().encode(SessionRequest(publicKey: pk, signature: Base64.encode(signature))),
                                 as: UTF8.self)
            #expect(try await p.call(nil, .POST, "/v1/auth/session", session).0 == 200)
            await p.drop(nil)
            try await p.call(nil, .POST, "/v1/auth/session", #"{"public_key":"AAAA","signature":"AAAA","extra":1}"#, fresh: true)
            try await p.call(nil, .POST, "/v1/auth/session", #"{"public_key":"AAAA","signature":"AAAA"}"#, fresh: true)
            try await p.call("intake", .GET, "/v1/status")
            try await p.call(nil, .GET, "/v1/status")

            let (status, created) = try await p.call("intake", .POST, "/v1/records", create)
            #expect(status == 201)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any])?["id"] as? String)
            try await p.call("intake", .POST, "/v1/records", #"{"type":"gbv_incident","fields":{},"colour":"red"}"#)
            try await p.call("intake", .POST, "/v1/records", #"{"type":"no_such_type","fields":{}}"#)
            try await p.call("intake", .POST, "/v1/records", create, contentType: "text/plain")
            try await p.call("intake", .POST, "/v1/records", String(repeating: " ", count: 1_100_000) + create, fresh: true)
            try await p.call("court", .POST, "/v1/records", create)
            try await p.call(nil, .POST, "/v1/records", create)

            try await p.call("intake", .GET, "/v1/records?order=newest&limit=1")
            try await p.call("intake", .GET, "/v1/records?order=oldest")
            try await p.call("intake", .GET, "/v1/records")
            try await p.call("intake", .GET, "/v1/records?order=sideways")
            try await p.call("intake", .GET, "/v1/records?order=newest&after=nonsense")
            try await p.call("intake", .GET, "/v1/records?limit=many")
            try await p.call("court", .GET, "/v1/records")

            try await p.call("intake", .POST, "/v1/records/find", #"{"name":"Contract Survivor","purpose":"returning survivor"}"#)
            try await p.call("intake", .POST, "/v1/records/find", #"{"purpose":"returning survivor"}"#)
            try await p.call("intake", .POST, "/v1/records/find", #"{"phone":"12","purpose":"returning survivor"}"#)
            try await p.call("intake", .POST, "/v1/records/find", #"{"name":"x","purpose":"returning survivor","why":1}"#)
            try await p.call("auditor", .POST, "/v1/records/find", #"{"name":"Contract Survivor","purpose":"curious"}"#)
            try await p.call("analyst", .POST, "/v1/stats/incidents", #"{"from":"2025-01","to":"2025-12","by":["sex","province"]}"#)
            try await p.call("analyst", .POST, "/v1/stats/incidents", #"{"from":"2025-01","to":"2025-02","by":["sex"]}"#)
            try await p.call("analyst", .POST, "/v1/stats/incidents", #"{"from":"2025-01","to":"2025-12","by":["sex"],"k":1}"#)
            try await p.call("intake", .POST, "/v1/stats/incidents", #"{"from":"2025-01","to":"2025-12","by":["sex"]}"#)

            try await p.call("intake", .PATCH, "/v1/records/\(id)", #"{"fields":{"phone":"+856 20 5555"}}"#)
            try await p.call("intake", .PATCH, "/v1/records/\(id)", #"{"fields":{"phone":"x"},"why":"no"}"#)
            try await p.call("intake", .PATCH, "/v1/records/\(unknown)", #"{"fields":{"phone":"x"}}"#)
            try await p.call("intake", .PATCH, "/v1/records/not-an-id", #"{"fields":{"phone":"x"}}"#)
            try await p.call("court", .PATCH, "/v1/records/\(id)", #"{"fields":{"phone":"x"}}"#)

            try await p.call("intake", .POST, "/v1/records/\(id)/assign", #"{"user":"counsellor"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/assign", #"{"user":"nobody"}"#)
            try await p.call("court", .POST, "/v1/records/\(id)/assign", #"{"user":"counsellor"}"#)
            try await p.call("intake", .POST, "/v1/records/\(unknown)/assign", #"{"user":"counsellor"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/unassign", #"{"user":"counsellor"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/unassign", #"{"user":"counsellor"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/assign", #"{"user":"counsellor"}"#)

            try await p.call("intake", .POST, "/v1/records/\(id)/consent", #"{"flag":"counselling","action":"grant"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/consent", #"{"flag":"legal","action":"grant"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/consent", #"{"flag":"telepathy","action":"grant"}"#)
            try await p.call("court", .POST, "/v1/records/\(id)/consent", #"{"flag":"legal","action":"grant"}"#)
            try await p.call("intake", .POST, "/v1/records/\(unknown)/consent", #"{"flag":"legal","action":"grant"}"#)
            try await p.call("intake", .GET, "/v1/records/\(id)/consent?history_limit=5")
            try await p.call("intake", .GET, "/v1/records/\(id)/consent?history_limit=lots")
            try await p.call("analyst", .GET, "/v1/records/\(id)/consent")
            try v.enrol("shelter-desk", role: "intake", agency: "lwu-shelter-vientiane")
            try await p.call("intake", .POST, "/v1/records/\(id)/consent", #"{"flag":"shelter","action":"grant"}"#)
            let toShelter = #"{"to":"lwu-shelter-vientiane","service":"shelter","purpose":"contract placement"}"#
            func refer() async throws -> String {
                let (_, made) = try await p.call("intake", .POST, "/v1/records/\(id)/referrals", toShelter)
                return try JSONDecoder().decode(ReferralWriteResponse.self, from: Data(made.utf8)).ref
            }
            let ref = try await refer()
            try await p.call("intake", .POST, "/v1/records/\(id)/referrals", toShelter)
            try await p.call("intake", .POST, "/v1/records/\(id)/referrals", #"{"to":"lwu-shelter-vientiane","service":"shelter"}"#)
            try await p.call("intake", .POST, "/v1/records/\(unknown)/referrals", toShelter)
            try await p.call("shelter-desk", .GET, "/v1/referrals")
            try await p.call("intake", .GET, "/v1/referrals?direction=outgoing&status=pending")
            try await p.call("shelter-desk", .GET, "/v1/referrals?direction=sideways")
            try await p.call("auditor", .GET, "/v1/referrals")
            try await p.call("shelter-desk", .GET, "/v1/referrals/\(ref)")
            try await p.call("shelter-desk", .GET, "/v1/referrals/aaaaaaaaaaaaaaaa")
            try await p.call("police", .GET, "/v1/referrals/\(ref)")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/accept", #"{"assign":"nobody-here"}"#)
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/accept", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/accept", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/assign", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/unassign", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/assign", #"{"assign":"shelter-desk"}"#)
            try await p.call("intake", .POST, "/v1/referrals/\(ref)/unassign", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/unassign", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(ref)/close", #"{"reason":"contract stay ended"}"#)
            let second = try await refer()
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(second)/decline", "{}")
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(second)/decline", #"{"reason":"contract: no bed"}"#)
            let third = try await refer()
            try await p.call("shelter-desk", .POST, "/v1/referrals/\(third)/revoke", #"{"reason":"not ours"}"#)
            try await p.call("intake", .POST, "/v1/referrals/\(third)/revoke", #"{"reason":"contract: not needed"}"#)
            try await p.call("intake", .GET, "/v1/records/\(unknown)/consent")

            try await p.call("counsellor", .POST, "/v1/records/\(id)/notes", #"{"class":"counselling","text":"Buổi tư vấn."}"#)
            try await p.call("counsellor", .POST, "/v1/records/\(id)/notes", #"{"class":"astrology","text":"x"}"#)
            try await p.call("court", .POST, "/v1/records/\(id)/notes", #"{"class":"counselling","text":"x"}"#)
            try await p.call("counsellor", .POST, "/v1/records/\(unknown)/notes", #"{"class":"counselling","text":"x"}"#)

            try await p.call("counsellor", .POST, "/v1/records/\(id)/read", #"{"purpose":"contract review"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/read", #"{"purpose":"contract review","fields":["phone"],"notes_limit":1}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/read", #"{"purpose":"review","colour":"red"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/read", #"{"purpose":"review","break_glass":"short"}"#)
            try await p.call("analyst", .POST, "/v1/records/\(id)/read", #"{"purpose":"review"}"#)
            try await p.call("intake", .POST, "/v1/records/\(unknown)/read", #"{"purpose":"review"}"#)

            try await p.call("court", .POST, "/v1/records/\(id)/extract", #"{"purpose":"hearing 1/2026","basis":"court_order","court_order":"Order 1/2026"}"#)
            try await p.call("court", .POST, "/v1/records/\(id)/extract", #"{"purpose":"hearing","basis":"hunch"}"#)
            try await p.call("intake", .POST, "/v1/records/\(id)/extract", #"{"purpose":"hearing","basis":"consent"}"#)
            try await p.call("court", .POST, "/v1/records/\(unknown)/extract", #"{"purpose":"hearing","basis":"court_order","court_order":"O 2"}"#)

            let adminKey = try String(contentsOfFile: v.keyPath("admin") + ".pub", encoding: .utf8)
            try v.newKey("contract")
            let newKey = try String(contentsOfFile: v.keyPath("contract") + ".pub", encoding: .utf8)
            func user(_ name: String, _ k: String) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: ["name": name, "role": "intake", "agency": "ossc-vientiane",
                                                                              "public_key": k]), as: UTF8.self)
            }
            try await p.call("admin", .POST, "/v1/users", try user("contract", newKey))
            try await p.call("admin", .POST, "/v1/users", try user("contract", adminKey))
            try await p.call("admin", .POST, "/v1/users", try user("Not A Name", newKey))
            try await p.call("intake", .POST, "/v1/users", try user("other", newKey))
            try await p.call("admin", .GET, "/v1/users")
            try await p.call("intake", .GET, "/v1/users")
            try v.newKey("contract2")
            let rekey = String(decoding: try JSONSerialization.data(withJSONObject: [
                "public_key": try String(contentsOfFile: v.keyPath("contract2") + ".pub", encoding: .utf8)]), as: UTF8.self)
            try await p.call("admin", .POST, "/v1/users/contract/rekey", rekey)
            try await p.call("admin", .POST, "/v1/users/contract/rekey", rekey)
            try await p.call("admin", .POST, "/v1/users/nobody/rekey", rekey)
            try await p.call("admin", .POST, "/v1/users/contract/rekey", #"{"public_key":"not a key"}"#)
            try await p.call("intake", .POST, "/v1/users/contract/rekey", rekey)
            try await p.call("admin", .POST, "/v1/users/contract/unlock")
            try await p.call("admin", .POST, "/v1/users/nobody/unlock")
            try await p.call("intake", .POST, "/v1/users/contract/unlock")
            try await p.call("admin", .POST, "/v1/users/contract/revoke")
            try await p.call("admin", .POST, "/v1/users/nobody/revoke")
            try await p.call("intake", .POST, "/v1/users/contract/revoke")

            try await p.call("auditor", .POST, "/v1/audit/checkpoints")
            try await p.call("auditor", .GET, "/v1/audit/checkpoints?from_size=1&to_size=100000")
            try await p.call("intake", .POST, "/v1/audit/checkpoints")
            try await p.call("auditor", .GET, "/v1/audit/entries?order=newest&limit=3&sessions=false")
            try await p.call("auditor", .GET, "/v1/audit/entries?after=2&limit=2")
            try await p.call("auditor", .GET, "/v1/audit/entries?since=yesterday")
            try await p.call("intake", .GET, "/v1/audit/entries")
            try await p.call("auditor", .GET, "/v1/audit/raw?from=0&limit=3")
            try await p.call("auditor", .GET, "/v1/audit/raw?from=x")
            try await p.call("auditor", .GET, "/v1/audit/prefix?size=3")
            try await p.call("auditor", .GET, "/v1/audit/prefix")
            try await p.call("auditor", .GET, "/v1/audit/proofs/inclusion?seq=1")
            try await p.call("auditor", .GET, "/v1/audit/proofs/inclusion?seq=99999999")
            try await p.call("auditor", .GET, "/v1/audit/proofs/inclusion")
            try await p.call("auditor", .GET, "/v1/audit/proofs/consistency?from=1")
            try await p.call("auditor", .GET, "/v1/audit/proofs/consistency?from=99999999")
            try await p.call("auditor", .GET, "/v1/audit/proofs/consistency")
            try await p.call("auditor", .POST, "/v1/audit/verify")
            try await p.call("intake", .POST, "/v1/audit/verify")
            try await p.call("auditor", .GET, "/v1/audit/summary?since=2026-01-01")
            try await p.call("auditor", .GET, "/v1/audit/summary?since=someday")
            try await p.call("intake", .GET, "/v1/audit/summary")
            try await p.call("auditor", .POST, "/v1/audit/searches", #"{"name":"contract survivor","since":"2026-01-01"}"#)
            try await p.call("auditor", .POST, "/v1/audit/searches", #"{"since":"2026-01-01"}"#)
            try await p.call("auditor", .POST, "/v1/audit/searches", #"{"name":"x","until":"someday"}"#)
            try await p.call("intake", .POST, "/v1/audit/searches", #"{"phone":"020 5551 2345"}"#)
            let erasable = try v.createRecord(["survivor_name": "Contract Erasure", "incident_type": "rape"])
            let reason = #"{"reason":"court_order","reference":"KPC-114/2026"}"#
            try await p.call("intake", .POST, "/v1/records/\(erasable)/erase", #"{"reason":"asked"}"#)
            try await p.call("counsellor", .POST, "/v1/records/\(erasable)/erase", reason)
            try await p.call("intake", .POST, "/v1/records/\(unknown)/erase", reason)
            try await p.call("intake", .POST, "/v1/records/\(erasable)/erase", reason)
            try await p.call("intake", .POST, "/v1/records/\(erasable)/erase", reason)
            try await p.call("intake", .POST, "/v1/records/\(erasable)/read", #"{"purpose":"after erasure"}"#)
            let (_, made) = try await p.call("admin", .POST, "/v1/backups")
            let backup = try JSONDecoder().decode(BackupCreated.self, from: Data(made.utf8))
            try await p.call("admin", .GET, "/v1/backups/\(backup.name)?offset=0")
            try await p.call("admin", .GET, "/v1/backups/\(backup.name)?offset=999999999")
            try await p.call("admin", .GET, "/v1/backups/no-such-name")
            try await p.call("intake", .GET, "/v1/backups/\(backup.name)")
            try await p.call("intake", .POST, "/v1/backups")
            try await p.call("admin", .DELETE, "/v1/backups/\(backup.name)")
            try await p.call("admin", .DELETE, "/v1/backups/\(backup.name)")
            try await p.call(nil, .GET, "/v1/operator/seal")
            try await p.call(nil, .POST, "/v1/operator/unseal", #"{"passphrase":"kept in a file: nothing to unseal"}"#)
            try await p.call(nil, .POST, "/v1/operator/unseal", #"{"passphrase":"one","share":"two"}"#)
            try await p.call("admin", .POST, "/v1/operator/seal")
            try await p.call("intake", .POST, "/v1/operator/seal")
            try await p.call("intake", .POST, "/v1/operator/rotate")
            try await p.call("admin", .POST, "/v1/operator/rotate", #"{"passphrase":"a file vault takes none of this","current_passphrase":"x"}"#)
            try await p.call("admin", .POST, "/v1/operator/rotate", #"{"commit":"x","shares":3}"#)
            try await p.call("admin", .POST, "/v1/operator/rotate", fresh: true)
            await p.close()

            // The seal's own answers, on a vault sealed under a passphrase.
            let passphrase = v.root + "/passphrase"
            FileManager.default.createFile(atPath: passphrase, contents: Data("the contract's passphrase\n".utf8),
                                           attributes: [.posixPermissions: 0o600])
            let sealed = try Probe(try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", passphrase]))
            try await sealed.call(nil, .GET, "/v1/operator/seal")
            try await sealed.call(nil, .GET, "/v1/health")
            try await sealed.call(nil, .GET, "/v1/status")
            try await sealed.call(nil, .POST, "/v1/auth/challenge")
            try await sealed.call(nil, .POST, "/v1/operator/unseal", #"{"passphrase":"not the passphrase"}"#)
            try await sealed.call(nil, .POST, "/v1/operator/unseal", #"{"share":"AAAA"}"#)
            try await sealed.call(nil, .POST, "/v1/operator/unseal", #"{"passphrase":"the contract's passphrase"}"#)
            try await sealed.call("admin", .POST, "/v1/operator/seal")
            try await sealed.call(nil, .GET, "/v1/operator/seal")
            await sealed.close()
            p.findings += sealed.findings
            p.seen.merge(sealed.seen) { $0.union($1) }

            #expect(p.findings.isEmpty, "\(p.findings.joined(separator: "\n"))")
            // Every operation of the document was called and answered with success at least once.
            for operation in p.doc.operations.keys.sorted() {
                #expect(p.seen[operation, default: []].contains { (200..<300).contains($0) }, "\(operation): \(p.seen[operation] ?? [])")
            }
        }
    }
}
