import HavenCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A raw HTTP answer: status, headers and body bytes.
public struct ClientResponse: Sendable {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]
}

/// One keep-alive HTTP/1.1 connection to the daemon, requests one at a time: over its Unix
/// socket, or over an SSH bridge's pipes. HTTP is parsed by NIOHTTP1, never by hand.
public final class ClientConnection: Sendable {
    /// How long a request waits for its answer by default. A daemon that is stuck, or a
    /// socket that something else is holding, must not leave a script waiting forever; the
    /// slowest answers (verifying a log of millions of entries) take seconds.
    public static let defaultAnswerTimeout = TimeAmount.seconds(120)

    let channel: any Channel
    private let collector: NIOLoopBound<ResponseCollector>
    private let answerTimeout: TimeAmount
    /// The ssh process under a bridged connection; nil on a local socket.
    let bridge: SSHBridge?

    private init(channel: any Channel, collector: NIOLoopBound<ResponseCollector>, answerTimeout: TimeAmount, bridge: SSHBridge? = nil) {
        self.channel = channel
        self.collector = collector
        self.answerTimeout = answerTimeout
        self.bridge = bridge
    }

    /// Whether this connection runs through an SSH bridge (the daemon's peer is then the
    /// bridge's process on the vault's host, not this one).
    public var isBridged: Bool { bridge != nil }

    public static func connect(socketPath: String, group: any EventLoopGroup,
                               answerTimeout: TimeAmount = defaultAnswerTimeout) async throws(HavenError) -> ClientConnection {
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer(initialize)
                .connect(unixDomainSocketPath: socketPath).get()
            return ClientConnection(channel: channel, collector: try await collector(of: channel), answerTimeout: answerTimeout)
        } catch {
            throw connectFailure(error, socketPath: socketPath)
        }
    }

    /// Connects to `address`: its socket, or through ssh (`sshCommand`: the program and its
    /// leading options, HAVEN_SSH_COMMAND) to `haven dial-stdio` on the vault's host.
    public static func connect(to address: VaultAddress, sshCommand: [String] = ["ssh"], group: any EventLoopGroup,
                               answerTimeout: TimeAmount = defaultAnswerTimeout) async throws(HavenError) -> ClientConnection {
        switch address {
        case .socket(let path):
            return try await connect(socketPath: path, group: group, answerTimeout: answerTimeout)
        case .ssh(let destination):
            let seconds = Int(answerTimeout.nanoseconds / 1_000_000_000)
            let (bridge, channel) = try await SSHBridge.start(destination, program: sshCommand,
                                                              connectTimeout: VaultAddress.sshConnectTimeout(answerTimeout: seconds),
                                                              group: group, initialize: initialize)
            do {
                return ClientConnection(channel: channel, collector: try await collector(of: channel), answerTimeout: answerTimeout, bridge: bridge)
            } catch {
                // ssh ended so soon that the channel closed before it could be used.
                try? await channel.close().get()
                throw await bridge.failure(answered: false)
            }
        }
    }

    @Sendable private static func initialize(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(ResponseCollector())
        }
    }

    private static func collector(of channel: any Channel) async throws -> NIOLoopBound<ResponseCollector> {
        try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self), eventLoop: channel.eventLoop)
        }.get()
    }

    /// Says why the socket could not be reached, because each cause has a different remedy.
    static func connectFailure(_ error: any Error, socketPath: String) -> HavenError {
        connectFailure(errno: (error as? IOError)?.errnoCode, socketPath: socketPath)
    }

    /// The same, from connect(2)'s errno: `haven dial-stdio` says it in the same words.
    public static func connectFailure(errno code: Int32?, socketPath: String) -> HavenError {
        switch code {
        case EACCES, EPERM:
            return HavenError(.unavailable, "cannot connect to havend at \(socketPath): permission denied",
                              hint: "only the daemon's user and group may connect; ask an administrator to add you to the group of the socket ('ls -l \(socketPath)'), then log in again")
        case ENOENT, ENOTDIR:
            return HavenError(.unavailable, "cannot connect to havend at \(socketPath): no such socket",
                              hint: "is the daemon running? set --socket or HAVEN_SOCKET to its socket path (as a service: /run/haven/haven.sock)")
        case ECONNREFUSED:
            return HavenError(.unavailable, "cannot connect to havend at \(socketPath): no daemon is listening",
                              hint: "havend is not running; start it, or set --socket or HAVEN_SOCKET to the socket of the running daemon")
        default:
            return HavenError(.unavailable, "cannot connect to havend at \(socketPath)",
                              hint: "is the daemon running? set --socket or HAVEN_SOCKET to its socket path")
        }
    }

    /// Sends one request and waits for its answer.
    public func send(method: HTTPMethod, path: String, body: [UInt8]? = nil,
                     contentType: String? = "application/json", extraHeaders: [(String, String)] = []) async throws(HavenError) -> ClientResponse {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "haven")
        if let body {
            if let contentType { headers.add(name: "content-type", value: contentType) }
            headers.add(name: "content-length", value: String(body.count))
        } else if method == .POST || method == .PATCH {
            headers.add(name: "content-length", value: "0")
        }
        for (k, v) in extraHeaders { headers.add(name: k, value: v) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        let channel = self.channel
        let collector = self.collector
        let timeout = answerTimeout
        do {
            return try await channel.eventLoop.flatSubmit {
                let promise = channel.eventLoop.makePromise(of: ClientResponse.self)
                // A connection the daemon already closed gets no answer: fail at once, or the
                // caller would wait forever.
                guard !collector.value.closed else {
                    promise.fail(ChannelError.ioOnClosedChannel)
                    return promise.futureResult
                }
                collector.value.pending.append(promise)
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                if let body {
                    channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
                }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                // Answers come in order, so a late one would be taken for the next request's:
                // the connection is closed rather than reused.
                let timer = channel.eventLoop.scheduleTask(in: timeout) {
                    collector.value.closed = true
                    collector.value.failAll(AnswerTimedOut())
                    channel.close(promise: nil)
                }
                promise.futureResult.whenComplete { _ in timer.cancel() }
                return promise.futureResult
            }.get()
        } catch is AnswerTimedOut {
            let seconds = timeout.nanoseconds / 1_000_000_000
            // Through a bridge the wait may be ssh's or the network's as much as the daemon's.
            if let bridge {
                // ssh's ConnectTimeout is as long as this wait: when ssh gave up on the host
                // at the same moment (no banner), its own words say why.
                if await bridge.sshFailed(within: 1) { throw await bridge.failure(answered: false) }
                let host = bridge.destination.displayName
                throw HavenError(.unavailable, "no answer came through the SSH bridge to \(host) within \(seconds) s",
                                 hint: "ssh or the network to \(bridge.destination.host) may be stalled, or havend there overloaded; a change may still have been made, so check before repeating it")
            }
            throw HavenError(.unavailable, "havend did not answer within \(seconds) s",
                             hint: "the daemon may be overloaded or stuck (see its log); a change may still have been made, so check before repeating it")
        } catch {
            // Through a bridge, ssh's stderr and exit say why: the host, its key, the
            // login, the remote haven, or the daemon behind it.
            if let bridge {
                let answered = (try? await channel.eventLoop.submit { collector.value.answered }.get()) ?? false
                throw await bridge.failure(answered: answered)
            }
            throw HavenError(.unavailable, "the connection to havend was lost")
        }
    }

    public func close() async {
        try? await channel.close().get()
        await bridge?.finish()
    }
}

/// A request's answer did not come in time.
struct AnswerTimedOut: Error {}

/// Collects response parts into answers, in order.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var pending = CircularBuffer<EventLoopPromise<ClientResponse>>()
    var closed = false
    /// Whether any answer came on this connection.
    var answered = false
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(let chunk):
            body.append(contentsOf: chunk.readableBytesView)
        case .end:
            guard let h = head, !pending.isEmpty else { return }
            let response = ClientResponse(status: Int(h.status.code), headers: h.headers.map { ($0.name, $0.value) }, body: body)
            head = nil
            body = []
            answered = true
            pending.removeFirst().succeed(response)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closed = true
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        failAll(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func failAll(_ error: any Error) {
        while let p = pending.popFirst() { p.fail(error) }
    }
}
