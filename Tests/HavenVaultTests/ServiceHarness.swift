import Foundation
import HavenCore
import HavenCrypto
import HavenTestSupport
import Logging
import NIOCore
import NIOPosix
@_spi(Bench) @testable import HavenVault

/// A vault opened in this process on a real SQLite file in a temporary directory, with one
/// user of each role, whose services are called as the server calls them: no socket, no
/// HTTP, the real pipeline, store, keys and audit log.
final class ServiceHarness: @unchecked Sendable {
    let directory = TemporaryDirectory("hv-services")
    var root: String { directory.path }
    let vault: Vault
    let group: MultiThreadedEventLoopGroup
    private let users: [String: EnrolledUser]

    /// The users enrolled, by name: `name: (role, agency)`.
    static let people: [String: (String, String)] = [
        "ana": ("intake", "ossc-vientiane"), "bounmy": ("counsellor", "ossc-vientiane"), "vong": ("police", "police-vientiane"),
        "kham": ("court", "people-court"), "dara": ("auditor", "haven"), "noy": ("analyst", "haven"),
        "phet": ("intake", "lwu-shelter-vientiane"),
    ]

    init() throws {
        let template = try Self.template.get()
        let data = DataDirectory(directory.file("data"))
        try Self.copy(template.data.path, to: data.path)
        users = template.users
        var logger = Logger(label: "haven.test")
        logger.logLevel = .critical
        vault = try Vault.open(directory: data, policyPath: Repository.path("policy"), logger: logger)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try vault.announceStart(on: group.next(), detail: [:]).wait()
    }

    /// One vault made per test process and copied for each harness. `VaultInitializer` sets
    /// the process's umask while it creates files, and other tests in this process bind
    /// sockets under a umask of their own: made once, the window where the two could meet
    /// is one, not one per test.
    private static let templateDirectory = TemporaryDirectory("hv-services-template")
    private static let template = Result { () throws -> (data: DataDirectory, users: [String: EnrolledUser]) in
        atexit { ServiceHarness.templateDirectory.remove() }
        let data = DataDirectory(templateDirectory.file("data"))
        let admin = SigningKey.generate()
        let adminName = try UserName("admin")
        _ = try VaultInitializer.create(directory: data, adminKey: admin.publicKey, adminName: adminName,
                                        adminRole: try RoleName("admin"), adminAgency: try AgencyName("haven"))
        var users = ["admin": EnrolledUser(name: adminName, role: try RoleName("admin"), agency: try AgencyName("haven"),
                                           publicKey: admin.publicKey.bytes, uid: nil, createdAt: SystemClock().now(), createdBy: adminName)]
        for (name, (role, agency)) in people {
            users[name] = EnrolledUser(name: try UserName(name), role: try RoleName(role), agency: try AgencyName(agency),
                                       publicKey: SigningKey.generate().publicKey.bytes, uid: nil, createdAt: SystemClock().now(),
                                       createdBy: adminName)
        }
        try VaultSeeder(directory: data).enrol(people.keys.sorted().map { users[$0]! }, by: adminName)
        return (data, users)
    }

    /// Copies a data directory file by file, each created owner-only and then given its
    /// source's mode with fchmod, which no umask changes.
    private static func copy(_ source: String, to destination: String) throws {
        guard mkdir(destination, 0o700) == 0, chmod(destination, 0o700) == 0 else { throw HavenError(.ioError, "cannot make \(destination)") }
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            var st = stat()
            guard stat(source + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: source + "/" + name))
            let fd = open(destination + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw HavenError(.ioError, "cannot create \(destination)/\(name)") }
            defer { close(fd) }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count, fchmod(fd, st.st_mode & 0o777) == 0 else { throw HavenError(.ioError, "cannot write \(name)") }
        }
    }

    /// A request from `name`'s authenticated connection (nil: a connection with no session).
    func ctx(_ name: String?) -> RequestContext {
        RequestContext(session: name.flatMap { users[$0] }, peer: PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid()),
                       eventLoop: group.next())
    }

    /// The code of the error a request ended with, or nil if it was answered.
    func refusal<T: Sendable>(_ future: EventLoopFuture<T>) -> ErrorCode? {
        do {
            _ = try future.wait()
            return nil
        } catch let e as HavenError {
            return e.code
        } catch {
            return .internalError
        }
    }

    deinit {
        vault.shutdown()
        try? group.syncShutdownGracefully()
        directory.remove()
    }
}
