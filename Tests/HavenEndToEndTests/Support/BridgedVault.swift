import Foundation
import Glibc
import HavenTestSupport

/// A vault reached from "another machine": the real havend on its socket, the real sshd on
/// 127.0.0.1, the test account in the socket's group, and ssh host aliases for each way in,
/// made once per test process and shared by the suites that use it (one sshd, one havend).
///
/// Aliases (in `sshd.config`): `bridge` and `127.0.0.1` log in with a key pinned to
/// `haven dial-stdio` on the vault's socket, as docs/REMOTE.md sets it up; `shell` with a key
/// that may run anything (no haven on its PATH); `nosocket` with a key pinned to dial-stdio on
/// a socket that does not exist; `outsider` pinned to a socket the account may not reach;
/// `stranger` with no known host key; `impostor` with another
/// host key recorded for the address; `denied` with a key not in authorized_keys; `closed` on
/// a port nothing listens on.
final class BridgedVault: @unchecked Sendable {
    let account: SSHTestAccount
    let sshd: LoopbackSSHD
    let vault: TestVault
    /// The line the vault host's operator writes: the account may run only the bridge.
    let forcedCommand: String

    private static let made: Result<BridgedVault, any Error> = Result {
        let bridge = try BridgedVault()
        AtExit.run { bridge.stop() }
        return bridge
    }

    /// The shared bridge, made on first use; a failure to make it fails each test that asks.
    static func shared() throws -> BridgedVault { try made.get() }

    private init() throws {
        account = try SSHTestAccount.ensure()
        // The socket's directory is entered by its group only, and new files in it take that
        // group (set-group-id): the socket havend binds is the account's to connect to.
        vault = try TestVault(start: false)
        chown(vault.root, 0, account.gid)
        chmod(vault.root, 0o2710)
        try vault.start()
        sshd = try LoopbackSSHD(account: account)
        forcedCommand = "restrict,command=\"\(TestVault.haven) dial-stdio --socket \(vault.socket)\""

        let bridgeKey = try sshd.newClientKey("bridge")
        try sshd.authorize(bridgeKey.publicLine, options: forcedCommand)
        try sshd.addHost("bridge", identity: bridgeKey.path)
        try sshd.addHost("127.0.0.1", identity: bridgeKey.path)

        let shellKey = try sshd.newClientKey("shell")
        try sshd.authorize(shellKey.publicLine)
        try sshd.addHost("shell", identity: shellKey.path)

        let missingKey = try sshd.newClientKey("nosocket")
        try sshd.authorize(missingKey.publicLine,
                           options: "restrict,command=\"\(TestVault.haven) dial-stdio --socket \(vault.root)/missing.sock\"")
        try sshd.addHost("nosocket", identity: missingKey.path)

        // An operator who forgot to put the account in the socket's group: a directory only
        // root may enter.
        mkdir(vault.root + "/closed", 0o700)
        let outsiderKey = try sshd.newClientKey("outsider")
        try sshd.authorize(outsiderKey.publicLine,
                           options: "restrict,command=\"\(TestVault.haven) dial-stdio --socket \(vault.root)/closed/s\"")
        try sshd.addHost("outsider", identity: outsiderKey.path)

        let empty = sshd.dir + "/known_hosts.empty"
        FileManager.default.createFile(atPath: empty, contents: nil)
        try sshd.addHost("stranger", identity: bridgeKey.path, knownHosts: empty)

        let other = try sshd.newClientKey("other_host_key")
        let impostor = sshd.dir + "/known_hosts.changed"
        try Data("[127.0.0.1]:\(sshd.port) \(other.publicLine)\n".utf8).write(to: URL(fileURLWithPath: impostor))
        try sshd.addHost("impostor", identity: bridgeKey.path, knownHosts: impostor)

        let deniedKey = try sshd.newClientKey("denied")
        try sshd.addHost("denied", identity: deniedKey.path)
        try sshd.addHost("closed", identity: bridgeKey.path, port: try LoopbackTCP.freePort())
    }

    /// `ssh://ACCOUNT@ALIAS`, for --host or HAVEN_HOST.
    func url(_ alias: String = "bridge") -> String { "ssh://\(account.name)@\(alias)" }

    /// The environment that makes the CLI use this configuration's ssh.
    var environment: [String: String] { ["HAVEN_SSH_COMMAND": sshd.sshCommand] }

    /// Runs `haven ARGS --host URL [--key KEY-OF-USER]` on this machine, through ssh.
    func haven(as user: String?, via alias: String = "bridge", _ arguments: [String],
               environment extra: [String: String] = [:], stdin: String? = nil) throws -> CommandResult {
        var args = arguments + ["--host", url(alias)]
        if let user { args += ["--key", vault.keyPath(user)] }
        return try Command.run(TestVault.haven, args, environment: environment.merging(extra) { $1 }, stdin: stdin)
    }

    @discardableResult
    func expectOK(as user: String?, _ arguments: [String]) throws -> CommandResult {
        let r = try haven(as: user, arguments)
        guard r.status == 0 else {
            throw TestFailure("haven \(arguments.joined(separator: " ")) --host as \(user ?? "-") failed: \(r)\n--- sshd\n\(sshd.log.suffix(2000))")
        }
        return r
    }

    func stop() {
        sshd.stop()
        vault.stop()
    }
}

/// Work for the end of the test process: a fixture held by a static is never deinitialised,
/// and its daemons would outlive the run.
enum AtExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var work = [@Sendable () -> Void]()
    private static let registered: Void = { atexit { AtExit.runAll() } }()

    static func run(_ body: @escaping @Sendable () -> Void) {
        _ = registered
        lock.withLock { work.append(body) }
    }

    private static func runAll() {
        for body in lock.withLock({ work }) { body() }
    }
}
