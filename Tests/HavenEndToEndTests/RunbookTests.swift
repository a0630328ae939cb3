import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// What a new operator reads before anything works (issue 32, item 8): `haven --help`
    /// names the global options, the manual pages carry ENVIRONMENT, FILES and EXAMPLES,
    /// and shell completion offers the policy's values — through the real binary, offline.
    @Suite struct RunbookTests {
        /// `haven ---completion SUBCOMMANDS -- ARGUMENT 0 0 TYPED`, as the generated scripts call it.
        static func complete(_ path: [String], _ argument: String, typed: String = "",
                             policy: String = Repository.path("policy")) throws -> CommandResult {
            try Command.run(TestVault.haven, ["---completion"] + path + ["--", argument, "0", String(typed.count), typed],
                            environment: ["HAVEN_POLICY": policy])
        }

        static func words(_ r: CommandResult) -> [String] {
            r.stdout.split(separator: "\n").map(String.init)
        }

        @Test func theRootHelpNamesTheGlobalOptionsAndTheirEnvironment() throws {
            let r = try Command.run(TestVault.haven, ["--help"])
            #expect(r.status == 0, "\(r)")
            for word in ["--socket <path>", "--key <file>", "--timeout <seconds>", "--json", "$HAVEN_SOCKET", "$HAVEN_KEY",
                         "$HAVEN_POLICY"] {
                #expect(r.stdout.contains(word), "\(word)")
            }
        }

        @Test func agenciesRolesAndTypesCompleteFromThePolicyWithoutADaemonOrAKey() throws {
            let agencies = try Self.complete(["user", "add"], "--agency")
            #expect(agencies.status == 0 && Self.words(agencies).contains("ossc-vientiane")
                        && Self.words(agencies).contains("lwu-shelter-vientiane"), "\(agencies)")
            #expect(Self.words(try Self.complete(["referral", "create"], "--to")) == Self.words(agencies))
            #expect(Self.words(try Self.complete(["user", "add"], "--role")).contains("counsellor"))
            #expect(Set(Self.words(try Self.complete(["record", "create"], "--type"))) == ["gbv_incident", "trafficking_case"])
            // No policy where completion looks: nothing offered, and no error in the terminal.
            let none = try Self.complete(["user", "add"], "--agency", policy: "/nonexistent/haven-policy")
            #expect(none.status == 0 && none.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && none.stderr.isEmpty,
                    "\(none)")
        }

        @Test func consentFlagsAndDimensionsCompleteWithoutAPolicy() throws {
            let flags = try Self.complete(["consent", "grant"], "positional@1", policy: "/nonexistent/haven-policy")
            #expect(Set(Self.words(flags)) == ["counselling", "health", "police", "legal", "shelter", "statistics"], "\(flags)")
            #expect(Self.words(try Self.complete(["consent", "withdraw"], "positional@1")) == Self.words(flags))
            // A list separated by commas completes its last item, keeping the ones before it.
            let by = Self.words(try Self.complete(["stats", "incidents"], "--by", typed: "province,"))
            #expect(by.contains("province,incident_type") && !by.contains("province,province") && by.allSatisfy { $0.hasPrefix("province,") },
                    "\(by)")
        }

        @Test func theBashScriptAsksTheBinaryForTheseValues() throws {
            let r = try Command.run(TestVault.haven, ["completion", "bash"])
            #expect(r.status == 0 && r.stdout.contains("---completion"), "\(r.stderr)")
        }

        /// The README renders an extract with --out, not '>': the file holds her data, so it is
        /// made 0600 whatever the umask, and an existing file is never written over.
        @Test func anExtractIsRenderedToANewPrivateFile() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Runbook Survivor", "incident_type": "rape"])
            let extract = v.root + "/extract.json"
            try v.expectOK(as: "court", ["extract", "create", id, "--purpose", "hearing 12/2026", "--court-order", "Order 1",
                                         "--out", extract])
            let html = v.root + "/extract.html"
            let render = ["extract", "render", extract, "--format", "html", "--vault-key", v.data + "/vault.pub", "--out", html]
            let r = try Command.run(TestVault.haven, render)
            #expect(r.status == 0 && r.stdout.isEmpty, "\(r)")
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: html)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Runbook Survivor"))
            let again = try Command.run(TestVault.haven, render)
            #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again)")
        }

        /// The sections scripts/install-man.sh adds to the generated pages (running the
        /// generate-manual plugin takes minutes; the script itself refuses a page without them).
        @Test(arguments: ["haven.1.mdoc", "havend.8.mdoc"])
        func theManualSectionsAreThereInMdocOrder(file: String) throws {
            let text = try String(contentsOfFile: Repository.path("scripts/man/" + file), encoding: .utf8)
            let sections = text.split(separator: "\n").filter { $0.hasPrefix(".Sh ") }.map { String($0.dropFirst(4)) }
            #expect(sections == ["ENVIRONMENT", "FILES", "EXAMPLES"])
            // Every list and display is closed, or man would swallow the rest of the page.
            let lines = text.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix(".Bl ") }.count == lines.filter { $0 == ".El" }.count)
            #expect(lines.filter { $0.hasPrefix(".Bd ") }.count == lines.filter { $0 == ".Ed" }.count)
            let script = try String(contentsOfFile: Repository.path("scripts/install-man.sh"), encoding: .utf8)
            #expect(script.contains("scripts/man/\(file)"))
            if file.hasPrefix("haven.") {
                for name in ["HAVEN_SOCKET", "HAVEN_KEY", "HAVEN_POLICY", "vault.pub", "--out extract.html", "@name.txt"] {
                    #expect(text.contains(name), "\(name)")
                }
            }
        }
    }
}
