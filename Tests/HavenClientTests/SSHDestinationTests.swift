import HavenClient
import Testing

/// `SSHDestination(parsing:)`: the rules of `--host ssh://[user@]host[:port]`, and the ssh
/// command built from it. Every part goes on ssh's command line, so a value that ssh could
/// read as an option must never pass.
@Suite struct SSHDestinationTests {
    @Test(arguments: [
        ("ssh://vault", nil, "vault", nil),
        ("ssh://vault/", nil, "vault", nil),
        ("ssh://ana@vault.example", "ana", "vault.example", nil),
        ("ssh://ana@vault.example:2222", "ana", "vault.example", 2222),
        ("ssh://192.0.2.7:22", nil, "192.0.2.7", 22),
        ("ssh://[::1]", nil, "::1", nil),
        ("ssh://ana@[2001:db8::7]:65535/", "ana", "2001:db8::7", 65535),
        ("SSH://Vault", nil, "Vault", nil),
        ("ssh://ana.b-c_d@h:1", "ana.b-c_d", "h", 1),
        ("ssh://Ana_2@vault_b.example-site.org", "Ana_2", "vault_b.example-site.org", nil),
        ("ssh://[::ffff:192.0.2.7]:22", nil, "::ffff:192.0.2.7", 22),
        ("ssh://[2001:DB8::A]", nil, "2001:DB8::A", nil),
    ] as [(String, String?, String, Int?)])
    func wellFormedAddressesParse(_ c: (url: String, user: String?, host: String, port: Int?)) throws {
        let d = try SSHDestination(parsing: c.url)
        #expect(d == SSHDestination(user: c.user, host: c.host, port: c.port))
    }

    @Test(arguments: [
        // Not ssh://.
        "vault", "http://vault", "ssh:/vault", "ssh:vault", "", "unix:///run/haven/haven.sock",
        // What ssh would take for an option, in the host or the user.
        "ssh://-oProxyCommand=touch${IFS}/tmp/x", "ssh://-p", "ssh://-oProxyCommand=x@vault", "ssh://ana@-vault",
        // Empty parts.
        "ssh://", "ssh:///", "ssh://@vault", "ssh://ana@", "ssh://ana@:22",
        // Ports.
        "ssh://vault:", "ssh://vault:0", "ssh://vault:65536", "ssh://vault:99999", "ssh://vault:-1", "ssh://vault:22x",
        "ssh://vault:+22", "ssh://vault:000022",
        // Whitespace, control characters, slashes, shell words.
        "ssh://va ult", "ssh://vault\t", "ssh://vault\n-oProxyCommand=x", "ssh://ana bob@vault", "ssh://vault/path",
        "ssh://vault/haven", "ssh://vault?x=1", "ssh://vault#x", "ssh://va$(id)ult", "ssh://va`id`ult", "ssh://vault;id",
        "ssh://a@b@vault",
        // Anything outside the allowlist: shell words a ProxyCommand's %h or %r would pass to a
        // shell, other scripts' letters, a trailing '$'.
        "ssh://x|id", "ssh://x&id", "ssh://x(id)", "ssh://x<y", "ssh://x>y", "ssh://a|b@vault", "ssh://a&b@vault",
        "ssh://a(b)@vault", "ssh://ana$@vault", "ssh://x%y", "ssh://x!y", "ssh://x*", "ssh://x,y", "ssh://x+y",
        "ssh://väult", "ssh://vault\u{202E}", "ssh://ana\u{200B}@vault", "ssh://x~y", "ssh://x=y", "ssh://x{a,b}",
        // Brackets.
        "ssh://[::1", "ssh://[::1]x", "ssh://[vault]", "ssh://[]", "ssh://[-1::]",
        // Fullwidth hex digits are hex digits to Character.isHexDigit, not to an address.
        "ssh://[\u{FF11}::1]", "ssh://[fe80::1%eth0]", "ssh://[::1|id]",
    ])
    func malformedAddressesAreRefused(url: String) {
        #expect(throws: SSHDestination.Invalid.self) { try SSHDestination(parsing: url) }
    }

    /// The refusal of a leading '-' says why, so the user sees it was not a typo.
    @Test func aLeadingDashIsRefusedAsAnOption() {
        #expect(throws: SSHDestination.Invalid(reason: "a host may not begin with '-' ('-oProxyCommand=x' would be read by ssh as an option)")) {
            try SSHDestination(parsing: "ssh://-oProxyCommand=x")
        }
    }

    /// BatchMode (ssh never asks: no password prompt, no "trust this host key?"), no
    /// terminal, the timeout, user and port as options, and `--` before the host: whatever
    /// the host is, ssh reads it as the destination.
    @Test func theSSHCommandEndsItsOptionsBeforeTheHost() throws {
        let d = try SSHDestination(parsing: "ssh://ana@vault.example:2222")
        #expect(d.sshArguments(program: ["ssh", "-F", "/tmp/cfg"], connectTimeout: 30) == [
            "ssh", "-F", "/tmp/cfg", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-l", "ana", "-p", "2222",
            "--", "vault.example", "haven", "dial-stdio",
        ])
        #expect(try SSHDestination(parsing: "ssh://[::1]").sshArguments(program: ["ssh"], connectTimeout: 5) == [
            "ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "--", "::1", "haven", "dial-stdio",
        ])
    }

    @Test func theURLIsShownAsGiven() throws {
        #expect(try SSHDestination(parsing: "ssh://ana@vault.example:2222/").url == "ssh://ana@vault.example:2222")
        #expect(try SSHDestination(parsing: "ssh://[::1]:22").url == "ssh://[::1]:22")
        #expect(try SSHDestination(parsing: "ssh://vault").displayName == "vault")
    }

    @Test func theConnectTimeoutIsTheAnswerTimeoutUpToHalfAMinute() {
        #expect(VaultAddress.sshConnectTimeout(answerTimeout: 5) == 5)
        #expect(VaultAddress.sshConnectTimeout(answerTimeout: 120) == 30)
        #expect(VaultAddress.sshConnectTimeout(answerTimeout: 0) == 1)
    }

    /// HAVEN_SSH_COMMAND is split on spaces, never given to a shell.
    @Test func theSSHCommandIsSplitOnSpacesOnly() {
        #expect(VaultAddress.sshCommand(nil) == ["ssh"])
        #expect(VaultAddress.sshCommand("  ") == ["ssh"])
        #expect(VaultAddress.sshCommand("ssh  -F /tmp/x/config") == ["ssh", "-F", "/tmp/x/config"])
        #expect(VaultAddress.sshCommand("/usr/bin/ssh -o ProxyJump=$(id)") == ["/usr/bin/ssh", "-o", "ProxyJump=$(id)"])
    }
}
