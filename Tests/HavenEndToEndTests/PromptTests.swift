import Foundation
import Glibc
import HavenProcess
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The passphrase prompts, driven through a pseudo-terminal as a person at a terminal
    /// meets them: Ctrl-C, SIGTERM and a closed window each end the command (the shell's
    /// 130, 143, 129), echo comes back on, nothing is left running on the terminal, and
    /// nothing is written: no data directory from `init`, a restore's target untouched.
    @Suite(.enabled(if: PseudoTerminal.available, "this machine gives out no pseudo-terminals"))
    struct PromptTests {
        static let initPrompt = "Passphrase for the vault's root key: "

        /// `haven init --seal passphrase` in a fresh directory, on a new terminal.
        static func initAtPrompt() throws -> (terminal: PseudoTerminal, child: ChildProcess, data: String, root: TemporaryDirectory) {
            let root = TemporaryDirectory("haven-prompt")
            let data = root.file("vault")
            let terminal = try PseudoTerminal()
            let child = try terminal.run(TestVault.haven, ["init", "--data", data, "--seal", "passphrase",
                                                           "--admin-key", Repository.path("keys-example/admin.key.pub")])
            try terminal.waitFor(initPrompt)
            #expect(terminal.waitForEcho(false), "echo is off while the passphrase is typed")
            return (terminal, child, data, root)
        }

        /// How `child` ended, failing the test if it did not within a minute.
        static func ended(_ child: ChildProcess) throws -> ChildProcess.Termination {
            guard let t = child.wait(upTo: 60) else {
                child.kill()
                throw TestFailure("the command did not end")
            }
            return t
        }

        @Test func ctrlCAtTheInitPromptEndsItWithEchoBackAndNoDataDirectory() throws {
            let (terminal, child, data, root) = try Self.initAtPrompt()
            defer { root.remove() }
            terminal.type("half a passphr")
            terminal.type("\u{03}")
            let t = try Self.ended(child)
            #expect(t == .signalled(SIGINT) && t.status == 130, "\(t)")
            #expect(terminal.echoes, "echo is on again")
            #expect(PseudoTerminal.processes(inSession: child.pid).isEmpty, "nothing left running on the terminal")
            #expect(!FileManager.default.fileExists(atPath: data))
        }

        @Test func sigtermAtTheConfirmationEndsItLikewise() throws {
            let (terminal, child, data, root) = try Self.initAtPrompt()
            defer { root.remove() }
            terminal.type("a long enough passphrase\r")
            try terminal.waitFor("Again, to confirm: ")
            #expect(terminal.waitForEcho(false))
            child.send(SIGTERM)
            let t = try Self.ended(child)
            #expect(t == .signalled(SIGTERM) && t.status == 143, "\(t)")
            #expect(terminal.echoes)
            #expect(PseudoTerminal.processes(inSession: child.pid).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: data))
        }

        @Test func closingTheTerminalLeavesNoOrphanAndNoDataDirectory() throws {
            let (terminal, child, data, root) = try Self.initAtPrompt()
            defer { root.remove() }
            terminal.type("typed so far")
            terminal.hangUp()
            let t = try Self.ended(child)
            #expect(t == .signalled(SIGHUP) || t == .exited(1), "\(t)")
            #expect(PseudoTerminal.processes(inSession: child.pid).isEmpty, "nothing waits on the closed terminal")
            #expect(!FileManager.default.fileExists(atPath: data))
        }

        /// `nohup haven init …` (here a shell that ignores SIGHUP, then execs haven): havend,
        /// exec'd by haven, keeps SIGHUP ignored, so a hang-up does not end it midway, while
        /// Ctrl-C, which haven was not started ignoring, still ends it.
        @Test func aHangUpIgnoredWhenHavenStartedStaysIgnoredInHavend() throws {
            let root = TemporaryDirectory("haven-prompt")
            defer { root.remove() }
            let data = root.file("vault")
            let terminal = try PseudoTerminal()
            let child = try terminal.run("/bin/sh", ["-c", "trap '' HUP; exec \"$0\" \"$@\"", TestVault.haven,
                                                     "init", "--data", data, "--seal", "passphrase",
                                                     "--admin-key", Repository.path("keys-example/admin.key.pub")])
            try terminal.waitFor(Self.initPrompt)
            #expect(terminal.waitForEcho(false))
            let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
            #expect(status.contains("Name:\thavend"), "\(status)")
            let line = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
            let ignored = line.flatMap { UInt64($0.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
            #expect(ignored & (1 << (UInt64(SIGHUP) - 1)) != 0, "SIGHUP ignored: \(line ?? "")")
            #expect(ignored & (1 << (UInt64(SIGINT) - 1)) == 0, "SIGINT not ignored: \(line ?? "")")
            terminal.type("\u{03}")
            let t = try Self.ended(child)
            #expect(t == .signalled(SIGINT) && t.status == 130, "\(t)")
            #expect(terminal.echoes)
            #expect(!FileManager.default.fileExists(atPath: data))
        }

        @Test func initChecksTheDirectoryBeforeAskingAnything() throws {
            let root = TemporaryDirectory("haven-prompt")
            defer { root.remove() }
            let admin = Repository.path("keys-example/admin.key.pub")
            for (data, said) in [(root.file("missing/vault"), "its parent directory \(root.file("missing")) does not exist"),
                                 (admin, "exists and is not a directory")] {
                let terminal = try PseudoTerminal()
                let child = try terminal.run(TestVault.haven, ["init", "--data", data, "--seal", "passphrase", "--admin-key", admin])
                let t = try Self.ended(child)
                terminal.drain()
                #expect(t == .exited(1), "\(t)")
                #expect(terminal.output.contains(said) && !terminal.output.contains("Passphrase"), "\(terminal.output)")
            }
            // A directory that holds a vault already is named as one.
            let v = try TestVault(enrol: false, start: false)
            let again = try Command.run(TestVault.haven, ["init", "--data", v.data, "--seal", "passphrase", "--admin-key", admin])
            #expect(again.status == 1 && again.stderr.contains("\(v.data) already holds a vault"), "\(again)")
        }

        /// A vault sealed under a passphrase and a backup of it.
        static func passphraseArchive() throws -> (vault: TestVault, archive: String, passphrase: String) {
            let passphrase = try SealTests.passphraseFile("the restore prompt's passphrase")
            let v = try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", passphrase])
            try v.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", passphrase])
            let archive = v.root + "/weekly.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
            return (v, archive, passphrase)
        }

        @Test func ctrlCAtTheRestoreAndUnsealPromptsLeavesEverythingAsItWas() throws {
            let (v, archive, passphrase) = try Self.passphraseArchive()
            defer { unlink(passphrase) }
            // The target exists, empty and open to its owner's group: a restore cut short leaves it so.
            let target = v.root + "/target"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            chmod(target, 0o750)
            let terminal = try PseudoTerminal()
            let restore = try terminal.run(TestVault.haven, ["backup", "restore", archive, "--data", target,
                                                             "--policy", Repository.path("policy")])
            try terminal.waitFor("Passphrase of vault ")
            #expect(terminal.waitForEcho(false))
            terminal.type("\u{03}")
            let t = try Self.ended(restore)
            #expect(t == .signalled(SIGINT), "\(t)")
            #expect(terminal.echoes)
            #expect(PseudoTerminal.processes(inSession: restore.pid).isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
            var st = stat()
            #expect(stat(target, &st) == 0 && st.st_mode & 0o777 == 0o750)

            // The prompts of the client itself (not havend's): unseal, on a sealed vault.
            try v.expectOK(as: "admin", ["operator", "seal"])
            let again = try PseudoTerminal()
            let unseal = try again.run(TestVault.haven, ["operator", "unseal", "--socket", v.socket])
            try again.waitFor("Passphrase of the vault: ")
            #expect(again.waitForEcho(false))
            again.type("\u{03}")
            let u = try Self.ended(unseal)
            #expect(u == .signalled(SIGINT), "\(u)")
            #expect(again.echoes)
            #expect(try SealTests.sealStatus(v).sealed)
        }
    }
}
