import HavenAPI
import HavenCore
import HavenVault
import NIOCore

/// The first handler of every connection: reads the SSH bridge's preamble if the connection
/// starts with one (`BridgePreamble`), tells the connection what it reported, and leaves the
/// pipeline. A local client's first read is looked at once, six bytes at most, and passed on
/// untouched; from then on this handler is gone and costs nothing.
///
/// Only the very first bytes can be a preamble: once anything else was read, "PROXY …" is
/// just malformed HTTP. A line that starts as a preamble but is not one is answered with a
/// JSON 400 and the connection closed, as malformed HTTP is: what follows cannot be trusted
/// to be framed.
final class BridgePreambleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The event that hands the connection's handler what the bridge reported; it reaches
    /// it before the bytes that followed the preamble.
    struct Reported: Sendable {
        let origin: ReportedOrigin
    }

    /// A preamble's first bytes, held until its line is whole (at most 107 bytes).
    private var partial: ByteBuffer?
    /// Answered 400 and closing: nothing more is read.
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        var bytes = unwrapInboundIn(data)
        if var held = partial {
            held.writeBuffer(&bytes)
            bytes = held
            partial = nil
        }
        switch BridgePreamble.scan(bytes.readableBytesView) {
        case .notAPreamble:
            stepAside(context, passing: bytes)
        case .needMore:
            partial = bytes
        case .preamble(let source, let length):
            bytes.moveReaderIndex(forwardBy: length)
            context.fireUserInboundEventTriggered(Reported(origin: Self.origin(source)))
            stepAside(context, passing: bytes)
        case .malformed:
            refuse(context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client shut its side mid-preamble: a line that began "PROXY " can no longer be
        // completed; anything shorter is handed on as the (malformed) request it is.
        if case ChannelEvent.inputClosed = event, let held = partial {
            partial = nil
            if held.readableBytes >= BridgePreamble.signature.count {
                refuse(context)
                return
            }
            // No read of the channel's is in progress here, so no channelReadComplete will
            // follow the bytes unless this handler fires one: without it the idle handler
            // takes the connection as still reading and never times it out. All three must
            // pass before the handler leaves: once removed, its context passes nothing on,
            // and a lost inputClosed leaves the connection open, holding its slot, for good.
            if held.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(held)) }
            context.fireChannelReadComplete()
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Passes on what is left of the first read and leaves the pipeline for good. Called
    /// only from `channelRead`: the channel's own channelReadComplete for this read comes
    /// after it and reaches the next handler directly.
    private func stepAside(_ context: ChannelHandlerContext, passing bytes: ByteBuffer) {
        if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(bytes)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// What the audit records of what the preamble reported.
    private static func origin(_ source: BridgePreamble.Source) -> ReportedOrigin {
        switch source {
        case .address(let ip, let port): ReportedOrigin(ip: ip, port: port)
        case .unknown: .unknown
        }
    }

    /// A JSON 400 written straight to the socket (no HTTP request was read, so the HTTP
    /// handlers have nothing to answer), then the connection is closed.
    private func refuse(_ context: ChannelHandlerContext) {
        refused = true
        partial = nil
        let error = HavenError(.badRequest, "malformed bridge preamble")
        let body = ErrorBody.json(error)
        let status = error.code.httpStatus
        let head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\ncontent-type: application/json; charset=utf-8\r\n"
            + "content-length: \(body.count)\r\ncache-control: no-store\r\nconnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
