import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Each way `haven --host ssh://…` can fail, made real against the test's sshd
    /// (`BridgedVault`'s aliases): one line on stderr naming the cause, and the exit status —
    /// 5 when the host or the vault cannot be reached (try again later), 6 when the bridge is
    /// not set up or refused (a person must act). No failure sends anything to a host that was
    /// not trusted, and none asks a question.
    @Suite(.enabled(if: LoopbackSSHD.available, LoopbackSSHD.unavailable))
    struct RemoteBridgeFailureTests {
        /// `r` failed with `status` and exactly one stderr line, `haven: CODE: MESSAGE (hint: …)`.
        func expectFailure(_ r: CommandResult, status: Int32, code: String, message: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
            #expect(r.stdout.isEmpty, "\(r)", sourceLocation: sourceLocation)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(r)", sourceLocation: sourceLocation)
            #expect(r.stderr.hasPrefix("haven: \(code): \(message) (hint: "), "\(r)", sourceLocation: sourceLocation)
        }

        @Test func withoutAnSSHClientTheCommandSaysSoAndExits6() throws {
            let b = try BridgedVault.shared()
            let empty = TemporaryDirectory("haven-no-ssh")
            defer { empty.remove() }
            let r = try Command.run(TestVault.haven, ["status", "--host", b.url(), "--key", b.vault.keyPath("intake")],
                                    environment: ["PATH": empty.path])
            expectFailure(r, status: 6, code: "bridge_failed", message: "ssh was not found, and --host needs an ssh client")
            let json = try Command.run(TestVault.haven, ["status", "--json", "--host", b.url(), "--key", b.vault.keyPath("intake")],
                                       environment: ["PATH": empty.path])
            #expect(json.status == 6 && json.stderr.contains("\"code\":\"bridge_failed\""), "\(json)")
        }

        @Test func aHostNothingListensOnIsUnreachableAndExits5() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "closed", ["status"]), status: 5, code: "unavailable",
                          message: "cannot reach closed over SSH: the connection was refused (no SSH server listens on that port)")
        }

        @Test func anUnknownHostKeyIsNeverAcceptedAndExits6() throws {
            let b = try BridgedVault.shared()
            let before = b.sshd.log.components(separatedBy: "Accepted publickey").count
            expectFailure(try b.haven(as: "intake", via: "stranger", ["status"]), status: 6, code: "bridge_failed",
                          message: "the SSH host key of stranger is not known here, so the host cannot be checked and nothing was sent")
            let empty = try String(contentsOfFile: b.sshd.dir + "/known_hosts.empty", encoding: .utf8)
            #expect(empty.isEmpty, "the key was not recorded: \(empty)")
            #expect(b.sshd.log.components(separatedBy: "Accepted publickey").count == before, "no login was attempted")
        }

        @Test func aChangedHostKeyIsNamedAsAPossibleAttackAndExits6() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "impostor", ["status"]), status: 6, code: "bridge_failed",
                          message: "the SSH host key of impostor has CHANGED since you last trusted it: this may be an attack "
                              + "(someone between you and the vault), so nothing was sent")
        }

        @Test func aKeyNotInAuthorizedKeysIsPermissionDeniedAndExits6() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "denied", ["status"]), status: 6, code: "bridge_failed",
                          message: "\(b.account.name)@denied refused the SSH login (permission denied)")
        }

        /// An account whose authorized_keys line has no forced command, and no haven on its
        /// PATH: the remote shell answers 127.
        @Test func noHavenOnTheRemoteSideExits6() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "shell", ["status"]), status: 6, code: "bridge_failed",
                          message: "there is no 'haven' on \(b.account.name)@shell for this SSH account (the remote shell found no such command)")
        }

        /// The bridge ran but found no daemon: dial-stdio's own words, named as the host's.
        @Test func aMissingRemoteSocketIsUnavailableOnThatHostAndExits5() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "nosocket", ["status"]), status: 5, code: "unavailable",
                          message: "on \(b.account.name)@nosocket: cannot connect to havend at \(b.vault.root)/missing.sock: no such socket")
        }

        /// The account is not in the socket's group: the vault host's permission, told apart
        /// from the SSH login's.
        @Test func aSocketTheAccountMayNotReachIsUnavailableOnThatHostAndExits5() throws {
            let b = try BridgedVault.shared()
            expectFailure(try b.haven(as: "intake", via: "outsider", ["status"]), status: 5, code: "unavailable",
                          message: "on \(b.account.name)@outsider: cannot connect to havend at \(b.vault.root)/closed/s: permission denied")
        }

        /// The pinned account asked for anything else: dial-stdio refuses before it touches the
        /// socket, with exit 3 carried back by ssh.
        @Test func thePinnedAccountRefusesAnyOtherCommandOutLoud() throws {
            let b = try BridgedVault.shared()
            let r = try b.sshd.ssh("bridge", ["cat", "/etc/passwd"], stdin: "")
            #expect(r.status == 3, "\(r)")
            #expect(r.stdout.isEmpty && r.stderr.hasPrefix("haven: denied: this account may only run 'haven dial-stdio' (hint: "), "\(r)")
        }
    }
}
