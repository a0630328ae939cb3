import Foundation
import Glibc
import HavenProcess
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The vault host's side of the SSH bridge, through the real sshd: the account a remote
    /// person logs in as, pinned in authorized_keys with `restrict,command="haven dial-stdio"`
    /// (docs/REMOTE.md), can do nothing else — no other command, no shell, no forwarding, no
    /// file transfer — while the same account with an unpinned key can (so the refusals are
    /// the pin's, not a broken harness's).
    @Suite(.enabled(if: LoopbackSSHD.available, LoopbackSSHD.unavailable))
    struct RemoteAccountTests {
        @Test func anUnpinnedKeyOfTheAccountRunsCommandsAndForwards() throws {
            let b = try BridgedVault.shared()
            let id = try b.sshd.ssh("shell", ["id"])
            #expect(id.status == 0 && id.stdout.hasPrefix("uid=\(b.account.uid)(\(b.account.name))"), "\(id)\n\(b.sshd.log)")
            // The account is in the socket's group and can reach the socket: the way the
            // bridge connects.
            let reach = try b.sshd.ssh("shell", ["test -r \(b.vault.socket) && test -w \(b.vault.socket) && echo reachable"])
            #expect(reach.stdout == "reachable\n", "\(reach)")
            // sshd itself allows forwarding: the pinned key is refused by its `restrict`.
            let forward = try b.sshd.ssh("shell", [], options: ["-W", "127.0.0.1:\(b.sshd.port)"], stdin: "")
            #expect(forward.stdout.hasPrefix("SSH-2.0-OpenSSH"), "\(forward)")
        }

        @Test(arguments: ["whoami", "id", "sh -c id", "/bin/sh", "cat /etc/passwd"])
        func thePinnedKeyRunsNoOtherCommand(command: String) throws {
            let b = try BridgedVault.shared()
            let r = try b.sshd.ssh("bridge", [command], stdin: "")
            // dial-stdio refuses it out loud, before it touches the socket; ssh carries its status.
            #expect(r.status == 3 && r.stderr.contains("this account may only run 'haven dial-stdio'"), "\(r)")
            #expect(!r.stdout.contains(b.account.name) && !r.stdout.contains("uid="), "\(r)")
            #expect(!r.stderr.contains(b.account.name + ":") && !r.stderr.contains("uid="), "\(r)")
        }

        @Test func thePinnedKeyGetsNoTerminalNoForwardingAndNoFileTransfer() throws {
            let b = try BridgedVault.shared()
            let stdio = try b.sshd.ssh("bridge", [], options: ["-W", "127.0.0.1:\(b.sshd.port)"], stdin: "")
            #expect(stdio.status == 255 && stdio.stderr.contains("administratively prohibited"), "\(stdio)")
            #expect(!stdio.stdout.contains("SSH-2.0"))

            let remote = try b.sshd.ssh("bridge", [], options: ["-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:\(b.sshd.port)"])
            #expect(remote.status == 255 && remote.stderr.contains("remote port forwarding failed"), "\(remote)")

            let terminal = try b.sshd.ssh("bridge", ["id"], options: ["-tt"], stdin: "")
            #expect(terminal.stderr.contains("PTY allocation request failed"), "\(terminal)")
            #expect(!terminal.stdout.contains("uid="), "\(terminal)")

            let sftp = try Command.run("/usr/bin/sftp", ["-F", b.sshd.config, "-o", "BatchMode=yes", "-b", "-",
                                                         "\(b.account.name)@bridge"], stdin: "pwd\n", timeout: 30)
            #expect(sftp.status != 0 && !sftp.stdout.contains("Remote working directory"), "\(sftp)")
        }

        /// -L: ssh listens on this machine and opens a channel at each connection, which the
        /// vault host refuses; the connection is closed without a byte from the far end.
        @Test func thePinnedKeyCannotForwardALocalPort() throws {
            let b = try BridgedVault.shared()
            let local = try LoopbackTCP.freePort()
            let dir = TemporaryDirectory("haven-ssh-L")
            defer { dir.remove() }
            let ssh = try ChildProcess(LoopbackSSHD.ssh, ["-F", b.sshd.config, "-o", "BatchMode=yes", "-l", b.account.name,
                                                          "-N", "-L", "127.0.0.1:\(local):127.0.0.1:\(b.sshd.port)", "bridge"],
                                       environment: Command.baseEnvironment, stdout: dir.file("out"), stderr: dir.file("err"))
            defer { _ = ssh.stop(grace: 5) }
            var answer: [UInt8]?
            try waitFor(20) {
                answer = try LoopbackTCP.firstBytes(port: local)
                return answer != nil || !ssh.isRunning
            }
            #expect(answer == [], "the forwarded port answered \(String(decoding: answer ?? [], as: UTF8.self))")
            try waitFor(10) { b.sshd.log.contains("refused local port forward") || b.sshd.log.contains("administratively") }
        }
    }
}
