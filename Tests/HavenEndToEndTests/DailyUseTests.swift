import Foundation
import HavenAPI
import HavenCore
import HavenStore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The CLI as people use it every day, with the real binaries: output piped into `head`,
    /// survivor data given from files and stdin rather than the command line, global options
    /// before the subcommand, `--version`, and the API tried from the shell.
    @Suite struct DailyUseTests {
        /// `CMD | head -1` in bash, with haven's own exit status after the first line.
        func piped(_ v: TestVault, as user: String, _ arguments: String) throws -> CommandResult {
            try Command.run("/bin/bash", ["-c", "\"$HAVEN\" \(arguments) | head -1; echo \"status ${PIPESTATUS[0]}\""],
                            environment: ["HAVEN": TestVault.haven, "HAVEN_SOCKET": v.socket, "HAVEN_KEY": v.keyPath(user)])
        }

        /// Output cut short by a closed pipe used to end in a trap, a backtrace and exit 132.
        @Test func outputIntoAClosedPipeEndsQuietly() async throws {
            let v = try TestVault()
            let c = try await v.client(as: "intake")
            var id = ""
            for i in 0..<800 {
                let r: RecordWriteResponse = try await c.post("/v1/records", CreateRecordRequest(
                    type: "gbv_incident", fields: ["survivor_name": "Pipe Survivor \(i)", "incident_type": "rape"], assign: nil))
                id = r.id
            }
            await c.close()
            for (user, command) in [("intake", "record list"), ("auditor", "audit log"), ("intake", "record list --all"),
                                    ("auditor", "audit log --limit 5000"), ("intake", "consent show \(id)"),
                                    ("intake", "record list --all --json")] {
                let r = try piped(v, as: user, command)
                let lines = r.stdout.split(separator: "\n")
                #expect(lines.count == 2, "\(command): \(r)")
                #expect(["status 0", "status 141"].contains(lines.last.map(String.init) ?? ""), "\(command): \(r)")
                #expect(r.stderr.isEmpty, "\(command): \(r)")
                // Hundreds of KB cannot fit in the pipe: haven did meet the closed pipe here.
                if command.hasSuffix("--json") { #expect(lines.last == "status 141", "\(r)") }
            }
        }

        /// An auditor sees today's activity first, with its purpose, without one session entry
        /// per CLI call in the way, and is told how much more there is.
        @Test func theAuditLogShowsTheNewestFirstAndSaysWhatMoreThereIs() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Audit Log Survivor", "incident_type": "rape"])
            for i in 0..<5 { try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review number \(i)"]) }
            let text = try v.expectOK(as: "auditor", ["audit", "log", "--limit", "3"]).stdout
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("PURPOSE") == true, "\(text)")
            #expect(lines.count == 5 && lines[1].contains("record.read") && lines[1].contains("review number 4"), "\(text)")
            #expect(lines[3].contains("review number 2") && !text.contains("auth.session"), "\(text)")
            let more = try #require(lines.last)
            #expect(more.hasPrefix("… ") && more.contains(" more: --before ") && more.hasSuffix("(or --all)"), "\(text)")
            // The cursor it gives shows the next page; --sessions brings the sessions back.
            let cursor = String(more.split(separator: " ")[4])
            let next = try v.expectOK(as: "auditor", ["audit", "log", "--limit", "1", "--before", cursor]).stdout
            #expect(next.contains("review number 1"), "\(next)")
            let json = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--limit", "2"])
            #expect(json.entries.count == 2 && json.entries[0].seq > json.entries[1].seq && json.next == json.entries[1].seq)
            #expect((json.remaining ?? 0) > 0)
            let withSessions = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--sessions", "--all"])
            #expect(withSessions.entries.contains { $0.action == "auth.session" } && withSessions.next == nil)
            let oldest = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--oldest-first", "--limit", "1"])
            #expect(oldest.entries.first?.seq == 0)
            // A failed authentication is never hidden with the sessions.
            try v.newKey("stranger")
            #expect(try v.haven(as: "stranger", ["status"]).status == 3)
            let denied = try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--denied"])
            #expect(denied.entries.first?.action == "auth.session", "\(denied.entries.map(\.action))")
            // What a user typed cannot add rows to, or move the cursor in, the auditor's table.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "review\nFORGED ROW\t\u{202E}x"])
            let shown = try v.expectOK(as: "auditor", ["audit", "log", "--limit", "1"]).stdout
            #expect(shown.split(separator: "\n").count == 3 && shown.contains(#"review\nFORGED ROW\t?x"#), "\(shown)")
        }

        /// A caseworker sees the records changed last first, and is told how many more there
        /// are and how to see them, in text and in --json.
        @Test func theRecordListShowsTheLastChangedFirstAndSaysWhatMoreThereIs() throws {
            let v = try TestVault()
            var ids = [String]()
            for i in 0..<5 { ids.append(try v.createRecord(["survivor_name": "List Survivor \(i)", "incident_type": "rape"])) }
            // The first record created is changed last: it comes first.
            try v.expectOK(as: "intake", ["record", "update", ids[0], "--field", "phone=+856 20 1111"])
            let text = try v.expectOK(as: "intake", ["record", "list", "--limit", "2"]).stdout
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.count == 4 && lines[1].hasPrefix(ids[0]) && lines[2].hasPrefix(ids[4]), "\(text)")
            let more = try #require(lines.last)
            #expect(more.hasPrefix("… 3 more: --after ") && more.hasSuffix(" (or --all)"), "\(text)")
            let cursor = String(more.split(separator: " ")[4])
            let next = try v.json(RecordListResponse.self, as: "intake", ["record", "list", "--limit", "2", "--after", cursor])
            #expect(next.records.map(\.id) == [ids[3], ids[2]] && next.remaining == 1 && next.next != nil, "\(next)")
            let last = try v.json(RecordListResponse.self, as: "intake", ["record", "list", "--after", try #require(next.next)])
            #expect(last.records.map(\.id) == [ids[1]] && last.next == nil && last.remaining == 0, "\(last)")
            let all = try v.json(RecordListResponse.self, as: "intake", ["record", "list", "--all", "--limit", "2"])
            #expect(all.records.map(\.id) == [ids[0], ids[4], ids[3], ids[2], ids[1]] && all.next == nil)
            let oldest = try v.json(RecordListResponse.self, as: "intake", ["record", "list", "--oldest-first"])
            #expect(oldest.records.map(\.id) == [ids[1], ids[2], ids[3], ids[4], ids[0]])
            // The last page says nothing more; a cursor that is not one is one plain line.
            #expect(!(try v.expectOK(as: "intake", ["record", "list"]).stdout.contains("more:")))
            let bad = try v.haven(as: "intake", ["record", "list", "--after", ids[0]])
            #expect(bad.status == 1 && bad.stderr.hasPrefix("haven: invalid_value: invalid cursor")
                    && bad.stderr.split(separator: "\n").count == 1, "\(bad)")
        }

        /// Values typed on the command line are visible to every local user (ps, shell
        /// history); from a file or stdin they are not.
        @Test func survivorDataComesFromFilesAndStdin() throws {
            let v = try TestVault()
            let dir = v.root + "/input"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "Nguyễn Thị Hà\n".write(toFile: dir + "/name", atomically: true, encoding: .utf8)
            try "Buổi tư vấn:\nan toàn.\n".write(toFile: dir + "/note", atomically: true, encoding: .utf8)
            let created = try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=@" + dir + "/name",
                                                     "--field", "address=@-", "--field", "safe_contact=@@somphone",
                                                     "--field", "incident_type=rape"], stdin: "Ban Phonthan, Xaysettha\n")
            #expect(created.status == 0, "\(created)")
            let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text-file", dir + "/note"])
            #expect(try v.haven(as: "intake", ["note", "add", id, "--class", "incident", "--text", "-"], stdin: "ຈາກ stdin\n").status == 0)
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "review"])
            #expect(r.fields["survivor_name"] == "Nguyễn Thị Hà" && r.fields["address"] == "Ban Phonthan, Xaysettha")
            #expect(r.fields["safe_contact"] == "@somphone")
            #expect(r.notes.map(\.text) == ["Buổi tư vấn:\nan toàn.", "ຈາກ stdin"])
            // Stdin serves one value; a missing file is one plain line.
            let twice = try v.haven(as: "intake", ["record", "update", id, "--field", "address=@-", "--field", "phone=@-"], stdin: "x")
            #expect(twice.status == 2 && twice.stderr.hasPrefix("haven: usage:") && twice.stderr.contains("both ask for stdin")
                    && twice.stderr.split(separator: "\n").count == 1, "\(twice)")
            for path in [dir + "/absent", dir] {
                let r = try v.haven(as: "intake", ["note", "add", id, "--class", "incident", "--text-file", path])
                #expect(r.status == 1 && r.stderr.hasPrefix("haven: io_error:") && r.stderr.split(separator: "\n").count == 1, "\(r)")
            }
            let field = try v.haven(as: "intake", ["record", "update", id, "--field", "address=@" + dir])
            #expect(field.status == 1 && field.stderr.contains("not a regular file"), "\(field)")
        }

        /// A mistyped agency used to found a new one silently; now it is refused with the
        /// right spelling beside it, and a user whose agency left the list creates nothing.
        @Test func anUnknownAgencyIsRefusedWithTheClosestNames() throws {
            let v = try TestVault()
            try v.newKey("vanida")
            let typo = try v.haven(as: "admin", ["user", "add", "vanida", "--role", "intake", "--agency", "ossc-vientaine",
                                                 "--public-key", v.keyPath("vanida") + ".pub"])
            #expect(typo.status == 1 && typo.stderr.split(separator: "\n").count == 1, "\(typo)")
            #expect(typo.stderr.hasPrefix("haven: invalid_value: unknown agency 'ossc-vientaine'") && typo.stderr.contains("did you mean ossc-vientiane?"),
                    "\(typo)")
            #expect(!(try v.expectOK(as: "admin", ["user", "list"]).stdout.contains("vanida")))
            // The refusals keep what was typed, made printable, for whoever reads the log.
            let role = try v.haven(as: "admin", ["user", "add", "vanida", "--role", "Intake\u{07}", "--agency", "ossc-vientiane",
                                                 "--public-key", v.keyPath("vanida") + ".pub"])
            #expect(role.status == 1 && role.stderr.contains("unknown role 'Intake?'"), "\(role)")
            let refused = try v.auditLog(["--limit", "1000"]).filter { $0.action == "user.add" && $0.outcome != "ok" }
            #expect(refused.map { $0.detail["agency"] } == ["ossc-vientaine", "ossc-vientiane"], "\(refused.map(\.detail))")
            #expect(refused.map { $0.detail["role"] } == ["intake", "Intake?"], "\(refused.map(\.detail))")
            try v.expectOK(as: "admin", ["user", "add", "vanida", "--role", "intake", "--agency", "ossc-luang-prabang",
                                         "--public-key", v.keyPath("vanida") + ".pub"])
            // The list loses ossc-luang-prabang: its user keeps reading but creates nothing.
            try v.restartWithoutLuangPrabang()
            let create = try v.haven(as: "vanida", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=Agency Survivor",
                                                 "--field", "incident_type=rape"])
            #expect(create.status == 1 && create.stderr.contains("unknown agency 'ossc-luang-prabang'"), "\(create)")
            let check = try Command.run(TestVault.haven, ["policy", "check", Repository.path("policy")]).stdout
            #expect(check.contains("agencies: haven, legal-aid-vientiane, luang-prabang-hospital, lwu-shelter-vientiane, mahosot-hospital, "
                                   + "ossc-luang-prabang"), "\(check)")
        }

        /// `haven --socket S --key K record list`, as docker and kubectl users type it.
        @Test func globalOptionsComeBeforeOrAfterTheSubcommand() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Global Survivor", "incident_type": "rape"])
            let before = try Command.run(TestVault.haven, ["--socket", v.socket, "--key", v.keyPath("intake"), "--json", "record", "list"])
            #expect(before.status == 0 && before.stdout.contains(id), "\(before)")
            let equals = try Command.run(TestVault.haven, ["--socket=\(v.socket)", "--timeout=30", "status", "--key", v.keyPath("intake")])
            #expect(equals.status == 0 && equals.stdout.contains("intake"), "\(equals)")
        }

        /// Completion scripts come from the same definitions as --help, for every command.
        @Test func completionScriptsCoverEveryCommand() throws {
            for shell in ["bash", "zsh", "fish"] {
                let r = try Command.run(TestVault.haven, ["completion", shell])
                #expect(r.status == 0, "\(r)")
                for word in ["record", "consent", "audit", "api", "notes-before", "oldest-first"] {
                    #expect(r.stdout.contains(word), "\(shell) lacks \(word)")
                }
            }
            let bogus = try Command.run(TestVault.haven, ["completion", "powershell"])
            #expect(bogus.status == 2 && bogus.stderr.contains("bash, zsh or fish"), "\(bogus)")
        }

        @Test func bothBinariesSayTheirVersionAndFormatsAndHavendUsageErrorsExit2() throws {
            for binary in [TestVault.haven, TestVault.havend] {
                let r = try Command.run(binary, ["--version"])
                #expect(r.status == 0 && r.stdout.contains(HavenRelease.version), "\(r)")
                #expect(r.stdout.contains("vault schema 1-\(Database.currentSchemaVersion)"), "\(r)")
            }
            let usage = try Command.run(TestVault.havend, ["--no-such-option"])
            #expect(usage.status == 2, "\(usage)")
        }

        /// The API from the shell, and a liveness check that needs no session and says nothing else.
        @Test func theAPICanBeTriedFromTheShell() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Api Survivor", "incident_type": "rape"])
            let status = try v.expectOK(as: "intake", ["api", "GET", "/v1/status"])
            #expect(status.stdout.contains(#""user":"intake""#), "\(status)")
            let read = try v.expectOK(as: "intake", ["api", "POST", "/v1/records/\(id)/read", "--data", #"{"purpose":"api review"}"#])
            #expect(read.stdout.contains("Api Survivor"), "\(read)")
            let missing = try v.haven(as: "intake", ["api", "GET", "/v1/records/aaaaaaaaaaaaaaaaaaaaaaaaaa/consent"])
            #expect(missing.status == 4 && missing.stderr.hasPrefix("haven: not_found:") && missing.stdout.contains(#""code":"not_found""#),
                    "\(missing)")
            let health = try v.expectOK(as: nil, ["api", "GET", "/v1/health", "--no-session"])
            #expect(try JSONDecoder().decode(HealthResponse.self, from: Data(health.stdout.utf8)) == HealthResponse(live: true, sealed: false))
            // On a raw connection, no session, no audit entry.
            let c = try await RawConnection.connect(v.socket)
            let r = await c.exchange(Array("GET /v1/health HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
            await c.close()
            #expect(r?.status == 200 && r?.text == #"{"live":true,"sealed":false}"#, "\(String(describing: r))")
            let entries = try v.auditLog(["--limit", "5000"])
            #expect(!entries.contains { $0.action.contains("health") })
        }

        /// The client links neither the vault service nor SQLite: `haven init` runs
        /// `havend init`, and says so, and behaves as it always did.
        @Test func theClientIsOnlyAClient() throws {
            let binary = try Data(contentsOf: URL(fileURLWithPath: TestVault.haven))
            for name in ["libsqlite3.so", "sqlite3_open", "10HavenVault", "10HavenStore"] {
                #expect(binary.range(of: Data(name.utf8)) == nil, "haven contains \(name)")
            }
            // The daemon does hold them: the search would find them if they were there.
            let daemon = try Data(contentsOf: URL(fileURLWithPath: TestVault.havend))
            #expect(daemon.range(of: Data("libsqlite3.so".utf8)) != nil && daemon.range(of: Data("10HavenVault".utf8)) != nil)
            let v = try TestVault(enrol: false, start: false)
            let again = try Command.run(TestVault.haven, ["init", "--data", v.data, "--admin-key", v.keys + "/admin.key.pub"])
            #expect(again.status == 1 && again.stderr.hasPrefix("haven: io_error:") && again.stderr.split(separator: "\n").count == 1,
                    "\(again)")
            let json = try Command.run(TestVault.haven, ["init", "--json", "--data", v.root + "/second", "--admin-key", v.keys + "/admin.key.pub"])
            let created = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(json.status == 0 && (created?["vault_id"] as? String)?.count == 32 && created?["data"] as? String == v.root + "/second"
                    && created?["seal"] as? String == "file" && (created?["share_files"] as? [Any])?.isEmpty == true, "\(json)")
        }
    }
}
