import HavenClient
import HavenCore
import Testing

/// `BridgeFailure.classify` on what OpenSSH 9.2 (Debian 12's openssh-client 9.2p1) really
/// writes: each text below was taken from a run of /usr/bin/ssh with the options the bridge
/// uses (-T, BatchMode, ConnectTimeout), against 127.0.0.1 on a closed port, a name that does
/// not resolve, a test sshd with an empty known_hosts and with a mismatching one, an unknown
/// account, an account without haven, and one whose forced command is haven dial-stdio with
/// no daemon behind it. ssh writes "\r\n" after its own lines, and the remote side "\n".
@Suite struct BridgeFailureTests {
    static let destination = SSHDestination(user: "ana", host: "vault.example", port: 2222)

    static func classify(_ stderr: String, _ exit: BridgeFailure.Exit) -> HavenError {
        BridgeFailure.classify(stderr: stderr, exit: exit, destination: destination)
    }

    static let refused = "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n"
    static let noName = "ssh: Could not resolve hostname nosuchhostxyz.invalid: Name or service not known\r\n"
    static let timedOut = "Connection timed out during banner exchange\r\nConnection to 10.255.255.1 port 22 timed out\r\n"
    static let connectTimedOut = "ssh: connect to host 192.0.2.1 port 22: Connection timed out\r\n"
    static let noRoute = "ssh: connect to host 192.0.2.1 port 22: No route to host\r\n"
    static let unknownKey = "Host key verification failed.\r\n"
    static let unknownKeyStrict = """
        No ED25519 host key is known for [127.0.0.1]:42222 and you have requested strict checking.\r
        Host key verification failed.\r

        """
    static let changedKey = """
        @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r
        @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r
        @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r
        IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\r
        Someone could be eavesdropping on you right now (man-in-the-middle attack)!\r
        It is also possible that a host key has just been changed.\r
        The fingerprint for the ED25519 key sent by the remote host is
        SHA256:EC45ce/0KQMnzwVOFPSW3PiGzhf+B3YZFwns0MQR2lk.\r
        Please contact your system administrator.\r
        Add correct host key in /tmp/sshprobe/kh_bad to get rid of this message.\r
        Offending ED25519 key in /tmp/sshprobe/kh_bad:1\r
          remove with:\r
          ssh-keygen -f "/tmp/sshprobe/kh_bad" -R "[127.0.0.1]:42222"\r
        Host key for [127.0.0.1]:42222 has changed and you have requested strict checking.\r
        Host key verification failed.\r

        """
    static let denied = "nobodyx@127.0.0.1: Permission denied (publickey,keyboard-interactive).\r\n"
    static let noHavenBash = "bash: line 1: haven: command not found\n"
    static let noHavenDash = "sh: 1: haven: not found\n"
    static let noSocket = "haven: unavailable: cannot connect to havend at /tmp/sshprobe/nosock: no such socket (hint: is the daemon running? set --socket or HAVEN_SOCKET to its socket path (as a service: /run/haven/haven.sock))\n"
    static let otherCommand = "haven: denied: this account may only run 'haven dial-stdio' (hint: connect with 'haven --host ssh://USER@HOST COMMAND' from your own machine)\n"
    static let closedByRemote = "Connection to 127.0.0.1 closed by remote host.\r\n"
    static let olderHaven = "haven: usage: unknown command 'dial-stdio' (did you mean 'status'?) (hint: see 'haven --help')\n"

    @Test func unreachableHostsAreUnavailableWithTheirCause() {
        let cases: [(String, String)] = [
            (Self.refused, "the connection was refused (no SSH server listens on that port)"),
            (Self.noName, "its name was not found"),
            (Self.timedOut, "the connection timed out"),
            (Self.connectTimedOut, "the connection timed out"),
            (Self.noRoute, "there is no route to it"),
        ]
        for (stderr, cause) in cases {
            let e = Self.classify(stderr, .exited(255))
            #expect(e.code == .unavailable, "\(stderr)")
            #expect(e.message == "cannot reach vault.example over SSH: \(cause)")
        }
    }

    @Test func anUnknownHostKeyIsABridgeFailure() {
        for stderr in [Self.unknownKey, Self.unknownKeyStrict] {
            let e = Self.classify(stderr, .exited(255))
            #expect(e.code == .bridgeFailed)
            #expect(e.message == "the SSH host key of vault.example is not known here, so the host cannot be checked and nothing was sent")
        }
    }

    /// The changed key ends with the same "Host key verification failed." as the unknown
    /// one: it must be told apart, and its words must say it may be an attack.
    @Test func aChangedHostKeyIsNamedAsAPossibleAttack() {
        let e = Self.classify(Self.changedKey, .exited(255))
        #expect(e.code == .bridgeFailed)
        #expect(e.message.hasPrefix("the SSH host key of vault.example has CHANGED since you last trusted it: this may be an attack"))
        #expect(e.hint?.contains("ssh-keygen -R vault.example") == true)
    }

    @Test func aRefusedLoginIsABridgeFailure() {
        let e = Self.classify(Self.denied, .exited(255))
        #expect(e.code == .bridgeFailed)
        #expect(e.message == "ana@vault.example refused the SSH login (permission denied)")
    }

    @Test func noHavenOnTheRemoteSideIsABridgeFailure() {
        for stderr in [Self.noHavenBash, Self.noHavenDash] {
            let e = Self.classify(stderr, .exited(127))
            #expect(e.code == .bridgeFailed)
            #expect(e.message == "there is no 'haven' on ana@vault.example for this SSH account (the remote shell found no such command)")
        }
    }

    /// The remote dial-stdio's own line, named as the remote host's, with its code (and so
    /// its exit status): a missing socket there is exit 5, as here.
    @Test func theRemoteHavensOwnErrorIsPrefixedWithTheHost() {
        let e = Self.classify(Self.noSocket, .exited(5))
        #expect(e.code == .unavailable)
        #expect(e.message == "on ana@vault.example: cannot connect to havend at /tmp/sshprobe/nosock: no such socket")
        #expect(e.hint?.contains("tell the vault's administrator") == true)

        let refused = Self.classify(Self.otherCommand, .exited(3))
        #expect(refused.code == .denied)
        #expect(refused.message == "on ana@vault.example: this account may only run 'haven dial-stdio'")
    }

    /// "permission denied" from the remote haven is the socket's (the account is not in its
    /// group), not the SSH login's: told apart by ssh's exit status.
    @Test func theRemoteSocketsPermissionDeniedIsNotTheLogins() {
        let stderr = "haven: unavailable: cannot connect to havend at /run/haven/haven.sock: permission denied (hint: only the daemon's user and group may connect)\n"
        let e = Self.classify(stderr, .exited(5))
        #expect(e.code == .unavailable)
        #expect(e.message == "on ana@vault.example: cannot connect to havend at /run/haven/haven.sock: permission denied")
    }

    @Test func anOlderRemoteHavenIsNamed() {
        let e = Self.classify(Self.olderHaven, .exited(2))
        #expect(e.code == .bridgeFailed)
        #expect(e.message == "the haven on ana@vault.example is too old to serve --host (it has no 'dial-stdio')")
    }

    /// A remote line that only looks like haven's: its code must be one of Haven's.
    @Test func aRemoteLineWithAnUnknownCodeIsNotTakenForHavens() {
        let e = Self.classify("haven: rooted: you have been pwned\n", .exited(1))
        #expect(e.code == .bridgeFailed)
        #expect(!e.message.contains("pwned"))
    }

    /// What the remote side wrote reaches the caller's terminal: its control characters are
    /// made inert, so it cannot move the cursor or recolour what follows.
    @Test func remoteWordsCarryNoControlCharacters() {
        let e = Self.classify("haven: unavailable: evil \u{1B}[2Jcleared\n", .exited(5))
        #expect(!e.message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(e.message == "on ana@vault.example: evil ?[2Jcleared")
    }

    @Test func aConnectionClosedByTheRemoteHostIsUnavailable() {
        let e = Self.classify(Self.closedByRemote, .exited(255))
        #expect(e.code == .unavailable)
        #expect(e.message == "the SSH connection to vault.example was closed by the other side")
    }

    @Test func anUnknownSSHFailureQuotesSSHsLastLine() {
        let e = Self.classify("Bad owner or permissions on /root/.ssh/config\r\n", .exited(255))
        #expect(e.code == .bridgeFailed)
        #expect(e.message == "ssh could not open the bridge to ana@vault.example: Bad owner or permissions on /root/.ssh/config")
    }

    /// Something other than dial-stdio answered (a forced command that is not Haven's, or
    /// a login shell's greeting), or nothing came at all.
    @Test func aBridgeThatIsNotDialStdioIsABridgeFailure() {
        #expect(Self.classify("", .running).code == .bridgeFailed)
        #expect(Self.classify("", .exited(0)).code == .bridgeFailed)
        #expect(Self.classify("", .signalled(9)).code == .unavailable)
    }

    /// The forced command the hints give names the socket: sshd may set XDG_RUNTIME_DIR for
    /// the account (pam_systemd), and dial-stdio's default would then look there.
    @Test func theForcedCommandInTheHintsNamesTheSocket() {
        for e in [Self.classify("", .running), Self.classify("", .exited(0)), Self.classify("sh: 1: haven: not found\n", .exited(127))] {
            #expect(e.hint?.contains("command=\"/usr/local/bin/haven dial-stdio --socket /run/haven/haven.sock\"") == true, "\(e)")
        }
    }

    /// What a hostile host writes on stderr reaches this terminal: bidi overrides and
    /// isolates (general category Cf), like control characters, are shown as '?'.
    @Test func bidiAndOtherFormatCharactersFromTheRemoteSideAreShownInert() {
        let line = "haven: unavailable: cannot connect \u{202E}dlrow\u{202C} \u{2066}x\u{2069} \u{200B}y\u{1B}[2J (hint: a\u{202D}b)\n"
        let e = Self.classify(line, .exited(5))
        #expect(e.message == "on ana@vault.example: cannot connect ?dlrow? ?x? ?y?[2J")
        #expect(e.hint == "a?b")
        let last = Self.classify("ssh: odd \u{2067}line\r\n", .exited(255))
        #expect(last.message == "ssh could not open the bridge to ana@vault.example: ssh: odd ?line")
    }
}
