import HavenCore
import HavenCrypto
import HavenVault
import Logging
import NIOCore
import NIOHTTP1

/// One connection: gathers each request (within the size and time limits), hands it to
/// the gate's or the vault's endpoints, and writes one JSON answer per request, in order.
///
/// The session lives here and only here (`ConnectionSession`): a connection is
/// authenticated once, by the challenge issued on it, and the session dies with it.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let gate: VaultGate
    private let configuration: ServerConfiguration
    private let counters: ServerCounters
    private let logger: Logger

    private var peer: PeerCredentials?
    /// What the SSH bridge reported in its preamble (nil: a local connection): for the audit only.
    private var origin: ReportedOrigin?
    private var admission: PeerAdmission
    private var session = ConnectionSession()
    /// The connection's share of the sessions, taken as it authenticates.
    private let sessionSlot: ConnectionSessionSlot

    private var head: HTTPRequestHead?
    private var body: RequestBody?
    private var discarding = false
    private var timeout: Scheduled<Void>?
    private var idleSince: NIODeadline = .now()
    /// Requests handed over and not yet answered (at most one: pipelining is serialised).
    private var answering = 0
    /// The client shut its side: close once the current answer is written.
    private var inputClosed = false
    /// Answers written but not yet on the socket; closing before they are would drop them.
    private var writesInFlight = 0
    /// Malformed input that arrived while an earlier request was still being answered: its
    /// error is written after that answer, so answers stay in order.
    private var deferredRejection: HavenError?

    init(gate: VaultGate, configuration: ServerConfiguration, counters: ServerCounters, logger: Logger) {
        self.gate = gate
        self.configuration = configuration
        self.counters = counters
        self.logger = logger
        admission = PeerAdmission(counters: counters, perUid: configuration.maximumUnauthenticatedPerUid,
                                  total: configuration.maximumUnauthenticated)
        sessionSlot = ConnectionSessionSlot(slots: counters.sessions)
    }

    func channelActive(context: ChannelHandlerContext) {
        PeerCredentials.read(from: context.channel).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let p):
                guard context.channel.isActive else { return }  // closed meanwhile: take no slot
                // One local user's idle sockets must not take the slots everyone else needs.
                guard self.admission.admit(uid: p.uid) else {
                    self.logger.notice("too many unauthenticated connections; closing one", metadata: ["peer.uid": "\(p.uid)"])
                    context.close(promise: nil)
                    return
                }
                self.peer = p
            case .failure:
                // Without the peer's identity nothing can be authorised or audited: close.
                self.logger.error("cannot read the peer credentials of a connection; closing it")
                context.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        idleSince = .now()
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            discarding = false
            let length = h.headers.first(name: "content-length").flatMap(Int.init)
            if let length, length > configuration.maximumBodyBytes {
                reject(context, HavenError(.payloadTooLarge, "the request body is larger than \(configuration.maximumBodyBytes) bytes"))
                return
            }
            timeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.requestTimeout) {
                self.reject(context, HavenError(.requestTimeout, "the request was not completed in time"))
            }
        case .body(let chunk):
            guard !discarding else {
                // Refused or timed out: what still arrives is dropped, and wiped all the same.
                chunk.withUnsafeReadableBytes { wipe(UnsafeMutableRawBufferPointer(mutating: $0)) }
                return
            }
            let size = (body?.count ?? 0) + chunk.readableBytes
            guard size <= configuration.maximumBodyBytes else {
                chunk.withUnsafeReadableBytes { wipe(UnsafeMutableRawBufferPointer(mutating: $0)) }
                reject(context, HavenError(.payloadTooLarge, "the request body is larger than \(configuration.maximumBodyBytes) bytes"))
                return
            }
            if body == nil {
                let length = head?.headers.first(name: "content-length").flatMap(Int.init)
                body = RequestBody(expected: length, maximum: configuration.maximumBodyBytes)
            }
            body!.append(chunk)
        case .end:
            timeout?.cancel()
            timeout = nil
            guard !discarding, let h = head else { return }
            head = nil
            let request = IncomingRequest(head: h, body: body)
            body = nil
            handle(context, request)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let reported = event as? BridgePreambleHandler.Reported {
            origin = reported.origin
            return
        }
        if case ChannelEvent.inputClosed = event {
            inputClosed = true
            if answering == 0 && writesInFlight == 0 { context.close(promise: nil) }
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            // Unauthenticated: closed at the first idle tick. Authenticated: after the longer
            // idle timeout (the idle handler ticks at the shorter one).
            if !session.isOpen || NIODeadline.now() - idleSince >= configuration.idleTimeout {
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed HTTP: answer with a JSON error if we still can, then close, because
        // the byte stream can no longer be trusted to frame requests.
        if let e = error as? HTTPParserError {
            let code: ErrorCode = e == .headerOverflow ? .headersTooLarge : .badRequest
            let message = code == .headersTooLarge ? "the request headers are too large" : "malformed HTTP request"
            reject(context, HavenError(code, message))
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        admission.release()
        sessionSlot.release()
        session.end()
        context.fireChannelInactive()
    }

    // MARK: requests

    private func handle(_ context: ChannelHandlerContext, _ request: IncomingRequest) {
        counters.inFlight.add(1, ordering: .relaxed)
        answering += 1
        guard let peer else {
            respond(context, .error(HavenError(.unavailable, "the connection's peer is not known yet")), keepAlive: false)
            return
        }
        let keepAlive = request.head.isKeepAlive
        if request.body != nil, !ContentType.isJSON(request.head) {
            respond(context, .error(HavenError(.unsupportedMediaType, "request bodies must be application/json")), keepAlive: keepAlive)
            return
        }
        let route: Route
        switch Route.match(method: request.head.method, path: request.path) {
        case .success(let r): route = r
        case .failure(.notFound):
            respond(context, .error(HavenError(.notFound, "no such endpoint")), keepAlive: keepAlive)
            return
        case .failure(.methodNotAllowed):
            respond(context, .error(HavenError(.methodNotAllowed, "this endpoint does not take \(request.head.method)")), keepAlive: keepAlive)
            return
        }
        let opened: (vault: Vault, generation: UInt64)?
        if case .open(let v, let g) = gate.current { opened = (v, g) } else { opened = nil }
        let ctx = RequestContext(session: session.user(inGeneration: opened?.generation), peer: peer, eventLoop: context.eventLoop,
                                 admission: sessionSlot, origin: origin)
        let answer: EventLoopFuture<Response>
        if GateEndpoints.serves(route) {
            answer = GateEndpoints(gate: gate, opened: opened).dispatch(route, request, ctx, session: &session)
                .assumeIsolated().map { gated in
                    if let opening = gated.opened {
                        self.session.open(opening.user, generation: opening.generation)
                        self.admission.release()
                    }
                    return gated.response
                }.nonisolated()
        } else if let opened {
            answer = Endpoints(vault: opened.vault).dispatch(route, request, ctx)
        } else {
            answer = context.eventLoop.makeSucceededFuture(.error(gate.sealedError))
        }
        answer.assumeIsolated().whenComplete { result in
            // The body may hold a survivor's data (a create or update): wipe it once handled.
            request.body?.wipeContents()
            switch result {
            case .success(let response):
                self.respond(context, response, keepAlive: keepAlive)
            case .failure(let error as HavenError):
                // Over its share: the connection is of no use, and its socket is given back.
                self.respond(context, .error(error), keepAlive: keepAlive && error.code != .tooManyConnections)
            case .failure(let error):
                self.logger.error("unexpected failure answering a request", metadata: ["error": "\(type(of: error))"])
                self.respond(context, .error(HavenError(.internalError, "internal error")), keepAlive: keepAlive)
            }
        }
    }

    // MARK: answers

    /// Writes the answer to a request `handle` counted as in flight.
    private func respond(_ context: ChannelHandlerContext, _ response: Response, keepAlive: Bool) {
        defer { counters.inFlight.subtract(1, ordering: .relaxed) }
        answering -= 1
        if let rejection = deferredRejection {
            deferredRejection = nil
            write(context, response, keepAlive: true)
            write(context, .error(rejection), keepAlive: false)
            return
        }
        write(context, response, keepAlive: keepAlive && !inputClosed)
    }

    private func write(_ context: ChannelHandlerContext, _ response: Response, keepAlive: Bool) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "content-length", value: String(response.body.count))
        headers.add(name: "cache-control", value: "no-store")
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let buffer = response.body.socketBuffer(context.channel.allocator)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        writesInFlight += 1
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        let sensitive = response.sensitive
        done.assumeIsolated().whenComplete { _ in
            self.writesInFlight -= 1
            if sensitive { ResponseBody.wipe(sent: buffer) }
            if !keepAlive || (self.inputClosed && self.answering == 0 && self.writesInFlight == 0) {
                context.close(promise: nil)
            }
        }
    }

    /// Answers with an error and closes: used when the rest of the request cannot or
    /// should not be read (too large, too slow, malformed).
    private func reject(_ context: ChannelHandlerContext, _ error: HavenError) {
        guard !discarding else { return }
        discarding = true
        timeout?.cancel()
        timeout = nil
        head = nil
        body?.wipeContents()
        body = nil
        if answering > 0 {
            deferredRejection = error
        } else {
            write(context, .error(error), keepAlive: false)
        }
    }
}
