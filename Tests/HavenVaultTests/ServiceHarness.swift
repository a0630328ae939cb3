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
        let data = DataDirectory(directory.file("data"))
        let admin = SigningKey.generate()
        let adminName = try UserName("admin")
        _ = try VaultInitializer.create(directory: data, adminKey: admin.publicKey, adminName: adminName,
                                        adminRole: try RoleName("admin"), adminAgency: try AgencyName("haven"))
        var users = ["admin": EnrolledUser(name: adminName, role: try RoleName("admin"), agency: try AgencyName("haven"),
                                           publicKey: admin.publicKey.bytes, uid: nil, createdAt: SystemClock().now(), createdBy: adminName)]
        for (name, (role, agency)) in Self.people {
            users[name] = EnrolledUser(name: try UserName(name), role: try RoleName(role), agency: try AgencyName(agency),
                                       publicKey: SigningKey.generate().publicKey.bytes, uid: nil, createdAt: SystemClock().now(),
                                       createdBy: adminName)
        }
        try VaultSeeder(directory: data).enrol(Self.people.keys.sorted().map { users[$0]! }, by: adminName)
        self.users = users
        var logger = Logger(label: "haven.test")
        logger.logLevel = .critical
        vault = try Vault.open(directory: data, policyPath: Repository.path("policy"), logger: logger)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try vault.announceStart(on: group.next(), detail: [:]).wait()
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
