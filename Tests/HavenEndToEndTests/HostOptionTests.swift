import Foundation
import Glibc
import HavenCore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven --host ssh://…` end to end on a real daemon, with ssh stood in for by a script
    /// (HAVEN_SSH_COMMAND) that runs what the account's forced command would, `haven
    /// dial-stdio --socket S`: commands that read, write and fetch files run through the
    /// bridge, and each way it can fail that needs no sshd is one line with its exit status.
    @Suite struct HostOptionTests {
        /// Runs `haven ARGS --host ssh://vault-test --key KEY-OF-USER` with `ssh` as the ssh
        /// program.
        static func haven(_ v: TestVault, as user: String?, _ arguments: [String], ssh: String,
                          host: String = "ssh://vault-test") throws -> CommandResult {
            try Command.run(TestVault.haven, arguments + ["--host", host] + (user.map { ["--key", v.keyPath($0)] } ?? []),
                            environment: ["HAVEN_SSH_COMMAND": ssh])
        }

        @Test func statusRecordsAndFilesGoThroughTheBridge() throws {
            let v = try TestVault()
            let dir = TemporaryDirectory("haven-host")
            defer { dir.remove() }
            let ssh = try DialStdioTests.fakeSSH(in: dir, socket: v.socket)

            let status = try Self.haven(v, as: "intake", ["status"], ssh: ssh)
            #expect(status.status == 0, "\(status)")
            let local = try v.expectOK(as: "intake", ["status"])
            // Which vault answered, and that it came through the bridge.
            #expect(status.stdout.hasPrefix(local.stdout.split(separator: "\n")[0] + "\nvia     ssh://vault-test\n"))

            let created = try Self.haven(v, as: "intake", ["record", "create", "--type", "gbv_incident",
                                                          "--field", "survivor_name=Noy Phommachanh", "--field", "incident_type=rape"], ssh: ssh)
            #expect(created.status == 0, "\(created)")
            let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let got = try Self.haven(v, as: "intake", ["record", "get", id, "--purpose", "follow-up"], ssh: ssh)
            #expect(got.status == 0, "\(got)")
            #expect(got.stdout.contains("Noy Phommachanh"))

            // A file written on the caller's machine from the remote vault's answer.
            let export = dir.file("log.jsonl")
            let exported = try Self.haven(v, as: "auditor", ["audit", "export", "--out", export], ssh: ssh)
            #expect(exported.status == 0, "\(exported)")
            let verified = try Command.run(TestVault.haven, ["audit", "verify", "--file", export, "--vault-key", v.data + "/vault.pub"])
            #expect(verified.status == 0, "\(verified)")

            let archive = dir.file("vault.backup")
            let backup = try Self.haven(v, as: "admin", ["backup", "create", "--out", archive], ssh: ssh)
            #expect(backup.status == 0, "\(backup)")
            let checked = try Command.run(TestVault.haven, ["backup", "verify", archive, "--vault-key", v.data + "/vault.pub"])
            #expect(checked.status == 0, "\(checked)")
        }

        /// HAVEN_HOST does what --host does; --host wins over it.
        @Test func havenHostInTheEnvironmentIsUsed() throws {
            let v = try TestVault()
            let dir = TemporaryDirectory("haven-host")
            defer { dir.remove() }
            let ssh = try DialStdioTests.fakeSSH(in: dir, socket: v.socket)
            let r = try Command.run(TestVault.haven, ["status", "--key", v.keyPath("intake")],
                                    environment: ["HAVEN_HOST": "ssh://from-env", "HAVEN_SSH_COMMAND": ssh])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("via     ssh://from-env\n"))
            let both = try Command.run(TestVault.haven, ["status", "--key", v.keyPath("intake"), "--host", "ssh://from-flag"],
                                       environment: ["HAVEN_HOST": "ssh://from-env", "HAVEN_SSH_COMMAND": ssh])
            #expect(both.stdout.contains("via     ssh://from-flag\n"), "\(both)")
        }

        /// HAVEN_HOST, kept in a remote user's environment: commands that only touch files
        /// here ignore it (a remote user makes a key pair here), and those that act on a vault
        /// here refuse to run while it is set.
        @Test func havenHostIsIgnoredOfflineAndRefusedWhereAVaultHereIsActedOn() throws {
            let v = try TestVault(enrol: false, start: false)
            let env = ["HAVEN_HOST": "ssh://vault-test", "HAVEN_SSH_COMMAND": "/nonexistent/ssh"]
            let key = try Command.run(TestVault.haven, ["key", "generate", "--out", v.root + "/remote.key"], environment: env)
            #expect(key.status == 0, "\(key)")
            #expect(try Command.run(TestVault.haven, ["completion", "bash"], environment: env).status == 0)

            let created = try Command.run(TestVault.haven, ["init", "--data", v.root + "/other", "--admin-key", v.keyPath("admin") + ".pub"],
                                          environment: env)
            #expect(created.status == 2)
            #expect(created.stderr == "haven: usage: HAVEN_HOST is set, but 'haven init' creates a vault on this machine (hint: unset HAVEN_HOST, or run it on the vault's host)\n")
            #expect(access(v.root + "/other", F_OK) != 0)
            let restored = try Command.run(TestVault.haven, ["backup", "restore", v.root + "/x.hvbk", "--data", v.root + "/restored",
                                                             "--root-key", v.data + "/root.key"], environment: env)
            #expect(restored.status == 2)
            #expect(restored.stderr.hasPrefix("haven: usage: HAVEN_HOST is set, but 'haven backup restore' restores into a data directory on this machine"))
            let shares = try Command.run(TestVault.haven, ["operator", "status", "--data", v.data], environment: env)
            #expect(shares.status == 2)
            #expect(shares.stderr.hasPrefix("haven: usage: HAVEN_HOST is set, but 'haven operator status --data' reads a data directory on this machine: unset HAVEN_HOST, or run it on the vault's host"))
        }

        @Test func aMissingRemoteSocketIsExit5NamingTheHost() throws {
            let v = try TestVault(enrol: false, start: false)
            let dir = TemporaryDirectory("haven-host")
            defer { dir.remove() }
            let ssh = try DialStdioTests.fakeSSH(in: dir, socket: "/nonexistent/haven.sock")
            let r = try Self.haven(v, as: "intake", ["status"], ssh: ssh, host: "ssh://ana@vault-test")
            #expect(r.status == 5)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == "haven: unavailable: on ana@vault-test: cannot connect to havend at /nonexistent/haven.sock: no such socket (hint: havend on vault-test is not running, or this SSH account cannot reach its socket (the forced command in authorized_keys names it); tell the vault's administrator)\n")
            let json = try Command.run(TestVault.haven, ["status", "--json", "--host", "ssh://vault-test", "--key", v.keyPath("intake")],
                                       environment: ["HAVEN_SSH_COMMAND": ssh])
            #expect(json.status == 5)
            #expect(json.stderr.hasPrefix("{\"error\":{\"code\":\"unavailable\",\"message\":\"on vault-test: cannot connect to havend at /nonexistent/haven.sock: no such socket\""))
        }

        @Test func aMissingSSHIsExit6() throws {
            let v = try TestVault(enrol: false, start: false)
            let r = try Self.haven(v, as: "intake", ["status"], ssh: "/nonexistent/ssh -F /dev/null")
            #expect(r.status == 6)
            #expect(r.stderr == "haven: bridge_failed: /nonexistent/ssh was not found, and --host needs an ssh client (hint: install OpenSSH's client (Debian: apt install openssh-client), or set HAVEN_SSH_COMMAND to the ssh program to use)\n")
            let json = try Command.run(TestVault.haven, ["status", "--json", "--host", "ssh://vault-test", "--key", v.keyPath("intake")],
                                       environment: ["HAVEN_SSH_COMMAND": "/nonexistent/ssh"])
            #expect(json.status == 6)
            #expect(json.stderr.hasPrefix("{\"error\":{\"code\":\"bridge_failed\","))
        }

        /// What the remote shell does for an account without haven: its words, and 127.
        @Test func noHavenOnTheRemoteSideIsExit6() throws {
            let v = try TestVault(enrol: false, start: false)
            let dir = TemporaryDirectory("haven-host")
            defer { dir.remove() }
            let shell = dir.file("no-haven")
            try "#!/bin/sh\necho 'sh: 1: haven: not found' >&2\nexit 127\n".write(toFile: shell, atomically: true, encoding: .utf8)
            chmod(shell, 0o755)
            let r = try Self.haven(v, as: "intake", ["status"], ssh: shell)
            #expect(r.status == 6)
            #expect(r.stderr.hasPrefix("haven: bridge_failed: there is no 'haven' on vault-test for this SSH account (the remote shell found no such command) (hint: "))
        }

        /// An ssh that takes the request and never answers: the wait is named as the bridge's,
        /// not as a stuck daemon's.
        @Test func aBridgeThatNeverAnswersIsNamedInTheTimeout() throws {
            let v = try TestVault(enrol: false, start: false)
            let dir = TemporaryDirectory("haven-host")
            defer { dir.remove() }
            // It keeps its stdout open and reads nothing: the request waits in the pipe.
            let shell = dir.file("silent-ssh")
            try "#!/bin/sh\nexec sleep 30\n".write(toFile: shell, atomically: true, encoding: .utf8)
            chmod(shell, 0o755)
            let r = try Self.haven(v, as: "intake", ["status", "--timeout", "1"], ssh: shell, host: "ssh://ana@vault-test")
            #expect(r.status == 5, "\(r)")
            #expect(r.stderr == "haven: unavailable: no answer came through the SSH bridge to ana@vault-test within 1 s (hint: ssh or the network "
                    + "to vault-test may be stalled, or havend there overloaded; a change may still have been made, so check before repeating it)\n", "\(r)")
        }

        /// The real ssh client, against a port where nothing listens.
        @Test(.enabled(if: access("/usr/bin/ssh", X_OK) == 0, "needs OpenSSH's client at /usr/bin/ssh"))
        func anUnreachableHostIsExit5() throws {
            let v = try TestVault(enrol: false, start: false)
            let port = try LoopbackTCP.freePort()
            let r = try Self.haven(v, as: "intake", ["status"], ssh: "/usr/bin/ssh -F /dev/null", host: "ssh://127.0.0.1:\(port)")
            #expect(r.status == 5, "\(r)")
            #expect(r.stderr == "haven: unavailable: cannot reach 127.0.0.1 over SSH: the connection was refused (no SSH server listens on that port) (hint: check the host name and port in --host and the network; is sshd running on the vault's host?)\n")
        }

        /// The real ssh client, against a port that takes the connection and never speaks
        /// (the kernel completes it from the listen queue; SSH's banner never comes): with
        /// --timeout 1, ssh's ConnectTimeout=1 ends the wait, and the line says it timed out.
        @Test(.enabled(if: access("/usr/bin/ssh", X_OK) == 0, "needs OpenSSH's client at /usr/bin/ssh"))
        func aHostThatNeverSendsItsBannerTimesOutAndExits5() throws {
            let v = try TestVault(enrol: false, start: false)
            let (listener, port) = try LoopbackTCP.silentListener()
            defer { close(listener) }
            let started = Date()
            let r = try Command.run(TestVault.haven, ["status", "--timeout", "1", "--host", "ssh://127.0.0.1:\(port)", "--key", v.keyPath("intake")],
                                    environment: ["HAVEN_SSH_COMMAND": "/usr/bin/ssh -F /dev/null"], timeout: 30)
            #expect(r.status == 5, "\(r)")
            #expect(r.stderr == "haven: unavailable: cannot reach 127.0.0.1 over SSH: the connection timed out (hint: check the host name and port in --host and the network; is sshd running on the vault's host?)\n", "\(r)")
            // Bounded by ConnectTimeout, not by a default of minutes.
            #expect(Date().timeIntervalSince(started) < 20, "\(r)")
        }
    }
}
