import Foundation
import HavenCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A response as seen on the wire, parsed by NIOHTTP1.
struct RawResponse: Sendable {
    let status: Int
    let body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A connection that sends arbitrary bytes — malformed requests included — and reads the
/// answers with NIO's HTTP response decoder, for hostile-input tests.
final class RawConnection: Sendable {
    let channel: any Channel
    private let collector: NIOLoopBound<RawCollector>

    private init(channel: any Channel, collector: NIOLoopBound<RawCollector>) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(_ path: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawFraming())
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)))
                    try channel.pipeline.syncOperations.addHandler(RawCollector())
                }
            }
            .connect(unixDomainSocketPath: path).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RawCollector.self), eventLoop: channel.eventLoop)
        }.get()
        return RawConnection(channel: channel, collector: collector)
    }

    /// Sends `bytes` as one request, optionally shuts the write side, and waits for one
    /// answer; nil if the server closed without answering or `timeout` passed.
    func exchange(_ bytes: [UInt8], closeOutput: Bool = false, timeout: TimeAmount = .seconds(10)) async -> RawResponse? {
        // The answer to HEAD has no body; tell the decoder when that is what was asked.
        let method: HTTPMethod = bytes.starts(with: Array("HEAD ".utf8)) ? .HEAD : .GET
        let channel = self.channel
        let collector = self.collector
        let future: EventLoopFuture<RawResponse?> = channel.eventLoop.flatSubmit {
            let promise = channel.eventLoop.makePromise(of: RawResponse?.self)
            guard !collector.value.closed else {
                promise.succeed(nil)
                return promise.futureResult
            }
            collector.value.waiting.append(promise)
            // The decoder must see a request head to accept a response; RawFraming drops it.
            channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
            if closeOutput { channel.close(mode: .output, promise: nil) }
            channel.eventLoop.scheduleTask(in: timeout) { promise.succeed(nil) }
            return promise.futureResult
        }
        return (try? await future.get()) ?? nil
    }

    func close() async { try? await channel.close().get() }
}

/// Drops the request head the decoder needs to see, and writes raw bytes as they are.
private final class RawFraming: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .body(.byteBuffer(let b)): context.write(wrapOutboundOut(b), promise: promise)
        default: promise?.succeed(())
        }
    }
}

private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var waiting = CircularBuffer<EventLoopPromise<RawResponse?>>()
    var closed = false
    private var status = 0
    private var body = [UInt8]()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): status = Int(h.status.code); body = []
        case .body(let b): body.append(contentsOf: b.readableBytesView)
        case .end: waiting.popFirst()?.succeed(RawResponse(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        while let p = waiting.popFirst() { p.succeed(nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        while let p = waiting.popFirst() { p.succeed(nil) }
        context.close(promise: nil)
    }
}
