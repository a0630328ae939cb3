import Foundation
import Glibc
import HavenProcess
import HavenTestSupport
import Testing

/// The real OpenSSH server, started by the test on 127.0.0.1 and a free port with a host key,
/// configuration and authorized_keys of its own (never the system's sshd or its files), and
/// the client's side of it: keys, known hosts and an ssh configuration naming each way in as
/// a host alias, for `ssh -F`.
///
/// Its directory is under /run, not /tmp: sshd's StrictModes (kept on, as everywhere) refuses
/// an authorized_keys file below a world-writable directory such as /tmp, and wants absolute
/// paths. The directory is 0755, so sshd, reading the file as the account, can.
final class LoopbackSSHD: @unchecked Sendable {
    static let sshd = "/usr/sbin/sshd", ssh = "/usr/bin/ssh", keygen = "/usr/bin/ssh-keygen"

    /// Whether this machine can run one: root (sshd switches to the account) and OpenSSH.
    static let available = geteuid() == 0 && [sshd, ssh, keygen, "/usr/sbin/useradd"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let unavailable: Comment = "needs root and OpenSSH (Debian: openssh-server) to run a real sshd"

    let dir: String
    let account: SSHTestAccount
    private(set) var port = 0
    /// The host key's public line ("ssh-ed25519 AAAA…"), as a known_hosts entry needs it.
    let hostKey: String
    private var process: ChildProcess?
    private var hosts = [String]()
    private let lock = NSLock()

    var config: String { dir + "/ssh_config" }
    var authorizedKeys: String { dir + "/authorized_keys" }
    var knownHosts: String { dir + "/known_hosts" }
    var logFile: String { dir + "/sshd.log" }
    /// What HAVEN_SSH_COMMAND holds for the client to use this configuration.
    var sshCommand: String { "\(Self.ssh) -F \(config)" }
    var log: String { String(decoding: FileManager.default.contents(atPath: logFile) ?? Data(), as: UTF8.self) }

    init(account: SSHTestAccount) throws {
        self.account = account
        var template = Array("/run/haven-sshd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp in /run failed: errno \(errno)") }
        dir = String(cString: made)
        chmod(dir, 0o755)
        // The privilege separation directory sshd insists on (Debian's service makes it).
        mkdir("/run/sshd", 0o755)
        hostKey = try Self.newKey(dir + "/host_key", comment: "haven-test-host")
        try write(authorizedKeys, "", mode: 0o644)
        try start()
    }

    deinit { stop() }

    /// Starts sshd on a port free a moment ago; another process taking it first makes sshd
    /// fail to bind, and the next free port is tried.
    private func start() throws {
        for _ in 0..<5 {
            port = try LoopbackTCP.freePort()
            try writeServerConfig()
            try write(knownHosts, "[127.0.0.1]:\(port) \(hostKey)\n", mode: 0o644)
            let p = try ChildProcess(Self.sshd, ["-D", "-e", "-f", dir + "/sshd_config"],
                                     environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], stdout: logFile, stderr: logFile)
            let deadline = Date().addingTimeInterval(20)
            while p.isRunning && Date() < deadline && !log.contains("Server listening on 127.0.0.1 port \(port).") {
                usleep(5_000)
            }
            if p.isRunning && log.contains("Server listening on 127.0.0.1 port \(port).") {
                process = p
                try writeClientConfig()
                return
            }
            _ = p.stop(grace: 5)
        }
        throw TestFailure("sshd did not start: \(log)")
    }

    private func writeServerConfig() throws {
        var lines = [
            "Port \(port)", "ListenAddress 127.0.0.1", "HostKey \(dir)/host_key", "PidFile \(dir)/sshd.pid",
            "AuthorizedKeysFile \(authorizedKeys)", "StrictModes yes", "UsePAM no", "AuthenticationMethods publickey",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin no",
            "AllowUsers \(account.name)", "PrintMotd no", "PrintLastLog no", "LogLevel VERBOSE",
            // Forwarding stays allowed here, so that what refuses it in the tests is the
            // authorized_keys line's `restrict`, as on a real host.
            "AllowTcpForwarding yes", "Subsystem sftp internal-sftp",
        ]
        // OpenSSH 9.8 and later penalise an address whose logins fail: the tests' refused
        // keys come from 127.0.0.1, like everything else.
        if Self.version >= 9.8 { lines.append("PerSourcePenaltyExemptList 127.0.0.1") }
        try write(dir + "/sshd_config", lines.joined(separator: "\n") + "\n", mode: 0o600)
    }

    /// Adds an ssh host alias to the client's configuration: `identity` is a key file (made by
    /// `newClientKey`), `knownHosts` another known_hosts file than the true one, `port` another
    /// port than sshd's.
    func addHost(_ alias: String, identity: String, knownHosts: String? = nil, port: Int? = nil) throws {
        lock.withLock {
            hosts.append("""
                Host \(alias)
                  HostName 127.0.0.1
                  Port \(port ?? self.port)
                  IdentityFile \(identity)
                  UserKnownHostsFile \(knownHosts ?? self.knownHosts)

                """)
        }
        try writeClientConfig()
    }

    /// The client side: identities only from the configuration, no system-wide known hosts,
    /// and the host key checked as ssh does by default (no StrictHostKeyChecking override).
    private func writeClientConfig() throws {
        let text = lock.withLock { hosts.joined() } + """
            Host *
              IdentitiesOnly yes
              GlobalKnownHostsFile /dev/null
              UserKnownHostsFile \(knownHosts)

            """
        try write(config, text, mode: 0o644)
    }

    /// Makes an ed25519 key pair in the directory; returns the private key's path.
    func newClientKey(_ name: String) throws -> (path: String, publicLine: String) {
        let path = dir + "/" + name
        return (path, try Self.newKey(path, comment: name))
    }

    /// Appends a line to the account's authorized_keys: `options` (e.g. `restrict,command="…"`)
    /// before the key. sshd reads the file at each login, so a running sshd sees it.
    func authorize(_ publicLine: String, options: String? = nil) throws {
        try lock.withLock {
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: authorizedKeys))
            defer { try? h.close() }
            try h.seekToEnd()
            try h.write(contentsOf: Data(((options.map { $0 + " " } ?? "") + publicLine + "\n").utf8))
        }
    }

    /// Runs the real ssh client on `alias` as the account, in batch mode (never a prompt).
    func ssh(_ alias: String, _ arguments: [String], options: [String] = [], stdin: String? = nil) throws -> CommandResult {
        try Command.run(Self.ssh, ["-F", config, "-o", "BatchMode=yes", "-l", account.name] + options + [alias] + arguments,
                        stdin: stdin, timeout: 30)
    }

    func stop() {
        if let p = process { _ = p.stop(grace: 10) }
        process = nil
        if ProcessInfo.processInfo.environment["HAVEN_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // MARK: helpers

    private func write(_ path: String, _ text: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    private static func newKey(_ path: String, comment: String) throws -> String {
        let r = try Command.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
        guard r.status == 0, let pub = FileManager.default.contents(atPath: path + ".pub") else {
            throw TestFailure("ssh-keygen failed: \(r)")
        }
        return String(decoding: pub, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// OpenSSH's version as a number (9.2), from `ssh -V`.
    static let version: Double = {
        let r = try? Command.run(ssh, ["-V"])
        let text = (r?.stderr ?? "") + (r?.stdout ?? "")
        guard let range = text.range(of: "OpenSSH_") else { return 0 }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 0
    }()
}
