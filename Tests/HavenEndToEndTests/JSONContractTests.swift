import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven --json` as Sources/HavenServer/JSON-OUTPUT.md documents it, with the real
    /// binaries: every command prints one object holding the keys the document lists, and
    /// an error is one `{"error": {code, message}}` object on stderr with the usual status.
    @Suite struct JSONContractTests {
        static let document = Repository.path("Sources/HavenServer/JSON-OUTPUT.md")

        /// The document's table: "haven record list" → the keys always present.
        static func documentedKeys() throws -> [String: [String]] {
            var out = [String: [String]]()
            for line in try String(contentsOfFile: document, encoding: .utf8).split(separator: "\n") where line.hasPrefix("| `haven") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                let command = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                // "the answer of the request sent" (haven api) names no keys of its own.
                out[command] = cells[2].hasPrefix("the ") ? [] : cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            return out
        }

        /// Every command `haven --help` leads to, e.g. "haven audit log" (the leaves only, each
        /// by its name: "get, show" lists an alias after it).
        static func commands(_ path: [String] = []) throws -> [String] {
            let help = try Command.run(TestVault.haven, path + ["--help"]).stdout
            guard let section = help.range(of: "SUBCOMMANDS:") else { return ["haven " + path.joined(separator: " ")] }
            var names = [String]()
            for line in help[section.upperBound...].split(separator: "\n") {
                let words = line.split(separator: " ", maxSplits: 1)
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = words.first?.split(separator: ",").first,
                      name.allSatisfy({ $0.isLowercase || $0 == "-" })
                else { continue }
                names.append(String(name))
            }
            return try names.flatMap { try commands(path + [$0]) }
        }

        /// The answer as an object, or a recorded issue.
        func object(_ r: CommandResult, _ what: String) -> [String: Any]? {
            guard r.status == 0, let o = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
                Issue.record("\(what): not one JSON object: \(r)")
                return nil
            }
            return o
        }

        @Test func everyCommandPrintsTheObjectTheDocumentDescribes() throws {
            let documented = try Self.documentedKeys()
            // dial-stdio's stdout carries the daemon's bytes, never an answer of its own
            // (JSON-OUTPUT.md says so, outside the table): DialStdioTests.
            #expect(Set(try Self.commands()).subtracting(["haven dial-stdio"]) == Set(documented.keys), "commands and JSON-OUTPUT.md differ")

            let v = try TestVault()
            let dir = v.root + "/json"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var answers = [String: CommandResult]()
            func run(_ command: String, as user: String?, _ arguments: [String]) throws {
                answers[command] = try v.haven(as: user, arguments + ["--json"])
            }
            func offline(_ command: String, _ arguments: [String]) throws {
                answers[command] = try Command.run(TestVault.haven, arguments + ["--json"])
            }

            try offline("haven init", ["init", "--data", dir + "/vault", "--admin-key", v.keyPath("admin") + ".pub"])
            try offline("haven key generate", ["key", "generate", "--out", dir + "/new.key"])
            try run("haven user add", as: "admin", ["user", "add", "newcomer", "--role", "intake", "--agency", "ossc-vientiane",
                                                    "--public-key", dir + "/new.key.pub"])
            try run("haven user list", as: "admin", ["user", "list"])
            try offline("haven key generate", ["key", "generate", "--out", dir + "/newer.key"])
            try run("haven user rekey", as: "admin", ["user", "rekey", "newcomer", "--public-key", dir + "/newer.key.pub"])
            try run("haven user unlock", as: "admin", ["user", "unlock", "newcomer"])
            try run("haven user revoke", as: "admin", ["user", "revoke", "newcomer"])
            try run("haven record create", as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=Json Survivor",
                                                          "--field", "incident_type=rape"])
            let createdAnswer = try #require(answers["haven record create"])
            let id = try #require(object(createdAnswer, "record create")?["id"] as? String)
            try run("haven record get", as: "intake", ["record", "get", id, "--purpose", "json review"])
            try run("haven record update", as: "intake", ["record", "update", id, "--field", "phone=+856 20 1234"])
            try run("haven record list", as: "intake", ["record", "list"])
            try run("haven record find", as: "intake", ["record", "find", "--name", "json survivor", "--purpose", "json review"])
            try run("haven record assign", as: "intake", ["record", "assign", id, "counsellor"])
            try run("haven record unassign", as: "intake", ["record", "unassign", id, "counsellor"])
            try v.expectOK(as: "intake", ["record", "assign", id, "counsellor"])
            try run("haven stats incidents", as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-12", "--by", "sex"])
            try run("haven consent grant", as: "intake", ["consent", "grant", id, "counselling"])
            try run("haven consent withdraw", as: "intake", ["consent", "withdraw", id, "counselling"])
            try run("haven consent show", as: "intake", ["consent", "show", id])
            try run("haven note add", as: "intake", ["note", "add", id, "--class", "incident", "--text", "Json note."])
            try v.enrol("shelter-desk", role: "intake", agency: "lwu-shelter-vientiane")
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            func refer() throws -> String {
                try run("haven referral create", as: "intake", ["referral", "create", id, "--to", "lwu-shelter-vientiane",
                                                                "--service", "shelter", "--purpose", "json review"])
                let made = try #require(answers["haven referral create"])
                return try #require(object(made, "referral create")?["ref"] as? String)
            }
            let ref = try refer()
            try run("haven referral list", as: "shelter-desk", ["referral", "list"])
            try run("haven referral show", as: "shelter-desk", ["referral", "show", ref])
            try run("haven referral accept", as: "shelter-desk", ["referral", "accept", ref])
            try run("haven referral assign", as: "shelter-desk", ["referral", "assign", ref, "shelter-desk"])
            try run("haven referral unassign", as: "shelter-desk", ["referral", "unassign", ref])
            try run("haven referral close", as: "shelter-desk", ["referral", "close", ref, "--reason", "json stay ended"])
            try run("haven referral decline", as: "shelter-desk", ["referral", "decline", try refer(), "--reason", "json no bed"])
            try run("haven referral revoke", as: "intake", ["referral", "revoke", try refer(), "--reason", "json not needed"])
            let doomed = try v.createRecord(["survivor_name": "Json Erasure", "incident_type": "rape"])
            try run("haven record erase", as: "intake", ["record", "erase", doomed, "--reason", "survivor_request"])
            try run("haven audit log", as: "auditor", ["audit", "log", "--limit", "3"])
            try run("haven audit verify", as: "auditor", ["audit", "verify"])
            try run("haven audit export", as: "auditor", ["audit", "export", "--out", dir + "/log.jsonl"])
            try run("haven audit summary", as: "auditor", ["audit", "summary"])
            try run("haven audit searches", as: "auditor", ["audit", "searches", "--name", "json survivor"])
            try run("haven audit checkpoint", as: "auditor", ["audit", "checkpoint", "--out", dir + "/cp.json"])
            try run("haven audit consistency", as: "auditor", ["audit", "consistency", "--checkpoint", dir + "/cp.json",
                                                               "--vault-key", v.data + "/vault.pub"])
            try run("haven extract create", as: "court", ["extract", "create", id, "--purpose", "hearing 9/2026", "--court-order", "Order 9/2026",
                                                          "--out", dir + "/extract.json"])
            try offline("haven extract verify", ["extract", "verify", dir + "/extract.json", "--vault-key", v.data + "/vault.pub"])
            try offline("haven extract render", ["extract", "render", dir + "/extract.json", "--vault-key", v.data + "/vault.pub"])
            try offline("haven policy check", ["policy", "check", Repository.path("policy")])
            try run("haven status", as: "admin", ["status"])
            try run("haven api", as: "intake", ["api", "GET", "/v1/status"])
            try offline("haven completion", ["completion", "bash"])
            try run("haven operator status", as: nil, ["operator", "status"])
            try run("haven backup create", as: "admin", ["backup", "create", "--out", dir + "/vault.hvbk"])
            try offline("haven backup verify", ["backup", "verify", dir + "/vault.hvbk", "--vault-key", v.data + "/vault.pub"])
            try offline("haven backup restore", ["backup", "restore", dir + "/vault.hvbk", "--data", dir + "/restored",
                                                 "--root-key", v.data + "/root.key", "--policy", v.policy])
            // Sealing needs a sealed vault: one under a passphrase.
            let passphrase = dir + "/passphrase"
            FileManager.default.createFile(atPath: passphrase, contents: Data("a passphrase for the contract\n".utf8),
                                           attributes: [.posixPermissions: 0o600])
            let sealed = try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", passphrase])
            answers["haven operator unseal"] = try sealed.haven(as: nil, ["operator", "unseal", "--passphrase-file", passphrase, "--json"])
            answers["haven operator rotate-root"] = try sealed.haven(as: "admin", ["operator", "rotate-root", "--passphrase-file", passphrase,
                                                                                  "--current-passphrase-file", passphrase, "--json"])
            answers["haven operator seal"] = try sealed.haven(as: "admin", ["operator", "seal", "--json"])

            #expect(Set(answers.keys) == Set(documented.keys), "not every documented command was run")
            for (command, r) in answers.sorted(by: { $0.key < $1.key }) {
                guard let o = object(r, command) else { continue }
                let missing = (documented[command] ?? []).filter { o[$0] == nil }
                #expect(missing.isEmpty, "\(command) lacks \(missing): \(r.stdout.prefix(400))")
                #expect(r.stderr.isEmpty, "\(command): \(r.stderr)")
            }
            // A check that fails is an answer on stdout, with status 1.
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/extract.json")))
            bytes[bytes.count / 2] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/forged.json"))
            let forged = try Command.run(TestVault.haven, ["extract", "verify", dir + "/forged.json", "--vault-key", v.data + "/vault.pub", "--json"])
            let verdict = try JSONSerialization.jsonObject(with: Data(forged.stdout.utf8)) as? [String: Any]
            #expect(forged.status == 1 && verdict?["verified"] as? Bool == false && verdict?["reason"] is String, "\(forged)")
        }

        /// Under --json an error is one object on stderr, nothing on stdout, and the same exit
        /// status as without --json, for each kind of failure.
        @Test func errorsAreOneJSONObjectOnStderrWithTheUsualStatus() throws {
            let v = try TestVault()
            let cases: [(user: String?, arguments: [String], status: Int32, code: String)] = [
                ("intake", ["record", "get", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--purpose", "x"], 4, "not_found"),
                ("court", ["record", "list"], 3, "denied"),
                ("intake", ["record", "get", "aaaaaaaaaaaaaaaaaaaaaaaaaa"], 2, "usage"),
                ("intake", ["record", "update", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--field", "a=@-", "--field", "b=@-"], 2, "usage"),
                ("intake", ["record", "list", "--after", "nonsense"], 1, "invalid_value"),
            ]
            for c in cases {
                for json in [false, true] {
                    let r = try v.haven(as: c.user, c.arguments + (json ? ["--json"] : []))
                    #expect(r.status == c.status, "\(c.arguments) json \(json): \(r)")
                    guard json else { continue }
                    #expect(r.stdout.isEmpty, "\(c.arguments): \(r)")
                    let error = (try? JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any]
                    #expect(error?["code"] as? String == c.code && error?["message"] is String, "\(c.arguments): \(r.stderr)")
                    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
                }
            }
            // No daemon, a missing file, a broken policy: the same shape.
            v.stop()
            let down = try v.haven(as: "intake", ["--json", "status"])
            #expect(down.status == 5 && down.stderr.contains(#""code":"unavailable""#), "\(down)")
            let missing = try Command.run(TestVault.haven, ["extract", "verify", v.root + "/absent.json", "--vault-key", v.data + "/vault.pub", "--json"])
            #expect(missing.status == 1 && missing.stderr.hasPrefix(#"{"error":{"code":"io_error""#), "\(missing)")
            let policy = v.root + "/policy"
            try FileManager.default.createDirectory(atPath: policy, withIntermediateDirectories: true)
            try "roles: [".write(toFile: policy + "/roles.yaml", atomically: true, encoding: .utf8)
            let broken = try Command.run(TestVault.haven, ["policy", "check", policy, "--json"])
            #expect(broken.status == 1 && broken.stderr.hasPrefix(#"{"error":{"code":"invalid_policy""#) && broken.stdout.isEmpty, "\(broken)")
        }
    }
}
