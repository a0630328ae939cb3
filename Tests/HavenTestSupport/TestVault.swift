import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenProcess
import Testing

/// A real vault for end-to-end tests: a temporary data directory made by the real
/// `haven init`, the real `havend` on a temporary socket, and the real `haven` binary run
/// as the demo users of keys-example/. Nothing is mocked.
public final class TestVault: @unchecked Sendable {
    /// The demo users (keys-example/README.md): name = key file = role.
    public static let standardUsers: [(name: String, role: String, agency: String)] = [
        ("intake", "intake", "ossc-vientiane"), ("counsellor", "counsellor", "ossc-vientiane"),
        ("health", "health", "mahosot-hospital"), ("police", "police", "police-vientiane"),
        ("court", "court", "people-court"), ("auditor", "auditor", "haven"), ("analyst", "analyst", "haven"),
    ]

    public let root: String
    public let data: String
    public let socket: String
    public let keys: String
    public let log: String
    public let policy: String
    /// Extra arguments for every start of havend (limits, timeouts).
    public let daemonArguments: [String]
    private var daemon: ChildProcess?
    private var logOffsetAtStart = 0

    /// The directory of the binaries under test.
    public static let binaries: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // swift test runs <bin>/HavenPackageTests.xctest; the executables sit beside it.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("havend").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.path
    }()

    public static var haven: String { binaries + "/haven" }
    public static var havend: String { binaries + "/havend" }

    /// An empty test directory with the users' keys (the demo users' unless given), and no
    /// vault yet.
    private init(policy: String?, daemonArguments: [String], keysFrom: String = Repository.path("keys-example")) throws {
        self.daemonArguments = daemonArguments
        // Short paths: a Unix socket path must fit in 108 bytes.
        root = "/tmp/hv-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        data = root + "/data"
        socket = root + "/s"
        keys = root + "/keys"
        log = root + "/havend.log"
        self.policy = policy ?? Repository.path("policy")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        chmod(root, 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: keysFrom) where file.hasSuffix(".key") || file.hasSuffix(".pub") {
            try FileManager.default.copyItem(atPath: keysFrom + "/" + file, toPath: keys + "/" + file)
            chmod(keys + "/" + file, file.hasSuffix(".key") ? 0o600 : 0o644)
        }
    }

    /// Creates, starts and enrols the standard users (unless `enrol` is false).
    /// `initArguments` go to `haven init` (a sealed vault: `--seal …`; `{root}` stands for the
    /// test's directory), which makes the vault distinct (`distinct` asks for one of its own,
    /// with its own id and keys, without them).
    ///
    /// An enrolled vault on the repository's policy is a copy of `TestVault.enrolled`, made
    /// by `haven init` and the CLI once per test process: it saves each test eight runs of the
    /// CLI; what those runs do is tested where it is the subject.
    public convenience init(enrol: Bool = true, start: Bool = true, policy: String? = nil, daemonArguments: [String] = [],
                            distinct: Bool = false, initArguments: [String] = []) throws {
        try self.init(policy: policy, daemonArguments: daemonArguments)
        let copied = enrol && policy == nil && !distinct && initArguments.isEmpty
        if copied {
            try copyVault(of: try Self.enrolled.template())
        } else {
            let created = try Command.run(Self.haven, ["init", "--data", data, "--admin-key", keys + "/admin.key.pub"]
                                          + initArguments.map { $0.replacingOccurrences(of: "{root}", with: root) })
            guard created.status == 0 else { throw TestFailure("haven init failed: \(created)") }
        }
        if start { try self.start() }
        if enrol && !copied { try enrolStandardUsers() }
    }

    /// A copy of `template`'s vault and users' keys in a directory of its own, started unless
    /// told otherwise.
    convenience init(copying template: TestVault, start: Bool = true, daemonArguments: [String] = []) throws {
        try self.init(policy: template.policy, daemonArguments: daemonArguments, keysFrom: template.keys)
        try copyVault(of: template)
        if start { try self.start() }
    }

    /// The files of a stopped template's data directory: the database with its -wal and -shm
    /// (a clean stop can leave most of the data in the WAL), the keys and any seal, not the
    /// daemon's lock.
    private func copyVault(of template: TestVault) throws {
        precondition(!template.isRunning, "a template is copied while its daemon is stopped")
        mkdir(data, 0o700)
        for file in try FileManager.default.contentsOfDirectory(atPath: template.data) where file != "havend.lock" {
            try FileManager.default.copyItem(atPath: template.data + "/" + file, toPath: data + "/" + file)
            chmod(data + "/" + file, file == "vault.pub" ? 0o644 : 0o600)
        }
    }

    /// Enrols the standard users through the CLI, as the administrator.
    public func enrolStandardUsers() throws {
        for u in Self.standardUsers {
            try expectOK(as: "admin", ["user", "add", u.name, "--role", u.role, "--agency", u.agency,
                                       "--public-key", keys + "/\(u.name).key.pub"])
        }
    }

    deinit {
        stop()
        // HAVEN_KEEP_TEST_DIRS=1 keeps the vault, its log and its socket path for inspection.
        if ProcessInfo.processInfo.environment["HAVEN_KEEP_TEST_DIRS"] == nil {
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    // MARK: the daemon

    public var isRunning: Bool { daemon?.isRunning ?? false }
    public var pid: Int32? { daemon?.pid }

    public func start(extraArguments: [String] = []) throws {
        try launch(extraArguments: extraArguments)
        try waitUntilServing()
    }

    /// Starts havend without waiting for it to serve.
    public func launch(extraArguments: [String] = []) throws {
        logOffsetAtStart = daemonLog.utf8.count
        daemon = try ChildProcess(Self.havend, ["--data", data, "--socket", socket, "--policy", policy] + daemonArguments + extraArguments,
                                  environment: Command.baseEnvironment, stdout: log, stderr: log)
    }

    /// Sends `signal` to the daemon.
    public func send(_ signal: Int32) { daemon?.send(signal) }

    /// The daemon's exit status once it has ended by itself, or nil after `seconds`.
    public func waitForExit(upTo seconds: Double) -> Int32? {
        guard let ended = daemon?.wait(upTo: seconds) else { return nil }
        daemon = nil
        return ended.status
    }

    /// Polls until the daemon logs "ready", which it does only after the socket is bound.
    public func waitUntilServing() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard let d = daemon, d.isRunning else {
                throw TestFailure("havend exited during start: \(daemonLog)")
            }
            if String(decoding: Array(daemonLog.utf8.dropFirst(logOffsetAtStart)), as: UTF8.self).contains("] ready") { return }
            usleep(5_000)
        }
        throw TestFailure("havend did not become ready: \(daemonLog)")
    }

    /// SIGTERM and wait: the graceful path. A daemon that has not stopped 30 s later is a
    /// failure of the test (with the end of its log), and is killed so the run goes on.
    @discardableResult
    public func stop() -> Int32? {
        guard let d = daemon else { return nil }
        daemon = nil
        let (ended, forced) = d.stop(grace: 30)
        if forced {
            Issue.record("havend did not stop within 30 s of SIGTERM and was killed; its log ends:\n\(daemonLog.suffix(3000))")
        }
        return ended.status
    }

    /// SIGKILL and wait: the crash path.
    public func crash() {
        guard let d = daemon else { return }
        daemon = nil
        d.kill()
    }

    public var daemonLog: String {
        String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
    }

    // MARK: the CLI

    public func keyPath(_ user: String) -> String { keys + "/\(user).key" }

    /// Runs `haven ARGS --socket S --key KEY-OF-USER`.
    public func haven(as user: String?, _ arguments: [String], stdin: String? = nil) throws -> CommandResult {
        var args = arguments + ["--socket", socket]
        if let user { args += ["--key", keyPath(user)] }
        return try Command.run(Self.haven, args, stdin: stdin)
    }

    @discardableResult
    public func expectOK(as user: String?, _ arguments: [String]) throws -> CommandResult {
        let r = try haven(as: user, arguments)
        guard r.status == 0 else { throw TestFailure("haven \(arguments.joined(separator: " ")) as \(user ?? "-") failed: \(r)") }
        return r
    }

    public func json<T: Decodable>(_ type: T.Type, as user: String, _ arguments: [String]) throws -> T {
        let r = try expectOK(as: user, arguments + ["--json"])
        return try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8))
    }

    /// Generates a new key pair with the real CLI (for users beyond the demo set).
    public func newKey(_ name: String) throws {
        let r = try Command.run(Self.haven, ["key", "generate", "--out", keyPath(name)])
        guard r.status == 0 else { throw TestFailure("key generate failed: \(r)") }
    }

    public func enrol(_ name: String, role: String, agency: String, uid: UInt32? = nil) throws {
        try newKey(name)
        var args = ["user", "add", name, "--role", role, "--agency", agency, "--public-key", keyPath(name) + ".pub"]
        if let uid { args += ["--uid", String(uid)] }
        try expectOK(as: "admin", args)
    }

    /// Creates a gbv_incident as `intake` and returns its id.
    public func createRecord(_ fields: [String: String], assign: [String] = [], as user: String = "intake",
                             type: String = "gbv_incident") throws -> String {
        var args = ["record", "create", "--type", type]
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { args += ["--field", "\(k)=\(v)"] }
        for a in assign { args += ["--assign", a] }
        return try expectOK(as: user, args).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func signingKey(_ user: String) throws -> SigningKey {
        try SigningKey(seed: try KeyFiles.readSecret(kind: .ed25519Secret, path: keyPath(user)))
    }

    /// Every file of the data directory (database, WAL, shared memory, keys, locks).
    public func dataFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: data).map { data + "/" + $0 }
    }
}
