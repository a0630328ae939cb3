import Glibc
import HavenCore
import HavenVault
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Serves the vault's `/v1/` API on a Unix socket.
public final class HavenServer: Sendable {
    private let gate: VaultGate
    private let configuration: ServerConfiguration
    private let logger: Logger
    public let group: MultiThreadedEventLoopGroup
    private let counters: ServerCounters

    /// Serves a vault that is open from the start (its root key kept in a file).
    public convenience init(vault: Vault, configuration: ServerConfiguration, logger: Logger) {
        self.init(gate: VaultGate(open: vault), configuration: configuration, logger: logger)
    }

    /// Serves whatever vault `gate` holds: sealed, or open.
    public init(gate: VaultGate, configuration: ServerConfiguration, logger: Logger) {
        self.gate = gate
        self.configuration = configuration
        self.logger = logger
        self.counters = ServerCounters(sessions: SessionSlots(limits: .init(
            perUser: configuration.maximumSessionsPerUser, perUid: configuration.maximumSessionsPerUid,
            ordinary: configuration.ordinarySessions)))
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
    }

    /// Binds the socket. The umask is set first, so the socket is created 0660 and is
    /// never, even for an instant, connectable by others; a chmod after bind would leave
    /// that window open.
    public func bind(socketPath: String) throws -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { [self] channel in
                self.initialize(channel)
            }
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that sends part of a request and shuts its side down gets a JSON 400
            // at once, rather than holding the connection until the request timeout.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let previous = umask(0o117)
        defer { umask(previous) }
        return try bootstrap.bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true).wait()
    }

    private func initialize(_ channel: any Channel) -> EventLoopFuture<Void> {
        let open = counters.connections.add(1, ordering: .relaxed).newValue
        let counters = self.counters
        channel.closeFuture.whenComplete { _ in _ = counters.connections.subtract(1, ordering: .relaxed) }
        guard open <= configuration.maximumConnections else {
            // Over the limit: close at once rather than let idle sockets starve real clients.
            return channel.close()
        }
        return channel.eventLoop.makeCompletedFuture {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderListSize = configuration.maximumHeaderBytes
            limits.maxHeaderFieldSize = configuration.maximumHeaderBytes
            limits.maxHeaderFieldCount = configuration.maximumHeaderCount
            let sync = channel.pipeline.syncOperations
            // First: the bridge's preamble, if any, is read before anything is taken for HTTP.
            try sync.addHandler(BridgePreambleHandler())
            try sync.addHandler(IdleStateHandler(allTimeout: min(configuration.unauthenticatedIdleTimeout, configuration.idleTimeout)))
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false,
                                                 withOutboundHeaderValidation: true,
                                                 withEncoderConfiguration: .init(),
                                                 withDecoderLimitConfiguration: limits)
            try sync.addHandler(ConnectionHandler(gate: gate, configuration: configuration, counters: counters, logger: logger))
        }
    }

    /// Waits until no request is being answered, or `timeout` passes (SIGTERM: requests in
    /// flight finish and are audited before the final checkpoint).
    public func drain(timeout: TimeAmount) {
        let deadline = NIODeadline.now() + timeout
        while counters.inFlight.load(ordering: .relaxed) > 0 && NIODeadline.now() < deadline {
            usleep(10_000)
        }
    }

    public func shutdown() throws {
        try group.syncShutdownGracefully()
    }
}

/// Counts shared by every connection of a server.
final class ServerCounters: Sendable {
    let connections = Atomic<Int>(0)
    let inFlight = Atomic<Int>(0)
    /// Authenticated connections, by user, by uid and by kind.
    let sessions: SessionSlots
    private let unauthenticated = Mutex<(total: Int, byUid: [UInt32: Int])>((0, [:]))

    init(sessions: SessionSlots = SessionSlots(limits: .init(perUser: .max, perUid: .max, ordinary: .max))) {
        self.sessions = sessions
    }

    /// Takes an unauthenticated slot for a connection of `uid`, if its share and the total
    /// allow; every slot taken is given back once (`releaseUnauthenticated`).
    func admitUnauthenticated(uid: UInt32, perUid: Int, total: Int) -> Bool {
        unauthenticated.withLock { u in
            guard u.total < total, u.byUid[uid, default: 0] < perUid else { return false }
            u.total += 1
            u.byUid[uid, default: 0] += 1
            return true
        }
    }

    /// The connection authenticated or closed.
    func releaseUnauthenticated(uid: UInt32) {
        unauthenticated.withLock { u in
            u.total -= 1
            let left = u.byUid[uid, default: 1] - 1
            u.byUid[uid] = left > 0 ? left : nil
        }
    }
}
