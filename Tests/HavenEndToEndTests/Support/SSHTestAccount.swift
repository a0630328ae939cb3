import Foundation
import Glibc
import HavenTestSupport

/// The OS account a remote person logs in as through the test's sshd: what an operator makes
/// once per remote person (docs/REMOTE.md). Created by the tests as root when missing and kept
/// afterwards, so a second run, or a run side by side, finds it and changes nothing.
struct SSHTestAccount: Sendable {
    static let name = "haven-e2e-ssh"

    let name: String
    let uid: uid_t
    let gid: gid_t
    let home: String

    /// The account, made if missing: its own group, a home it owns (sshd changes into it and
    /// says so on the client's stderr when it cannot), /bin/sh (sshd runs even a forced
    /// command through the shell) and '*' as its password: no password opens it, yet it is
    /// not locked ('!'), which sshd without PAM would refuse even for a key.
    static func ensure() throws -> SSHTestAccount {
        // Two test runs at once: useradd takes a lock on /etc/passwd, so the second one
        // fails while the first writes, then finds the account made.
        for attempt in 0..<50 {
            if let found = lookUp() { return found }
            let r = try Command.run("/usr/sbin/useradd", ["--system", "--user-group", "--create-home",
                                                          "--home-dir", "/var/lib/" + name, "--shell", "/bin/sh",
                                                          "--password", "*", name], timeout: 30)
            if r.status != 0 && attempt == 49 { throw TestFailure("useradd \(name) failed: \(r)") }
            if r.status != 0 { usleep(100_000) }
        }
        guard let found = lookUp() else { throw TestFailure("useradd made no account \(name)") }
        return found
    }

    private static func lookUp() -> SSHTestAccount? {
        guard let pw = getpwnam(name) else { return nil }
        return SSHTestAccount(name: name, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid,
                              home: String(cString: pw.pointee.pw_dir))
    }
}
