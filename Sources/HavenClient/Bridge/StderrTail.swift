import NIOCore
import Synchronization

/// The end of what ssh writes on stderr, kept to explain a failed bridge.
///
/// Bounded: the remote side's stderr comes through the same pipe, and a hostile or broken
/// remote could write without end. Read to its end all the same, so ssh never blocks on a
/// full pipe; only the last `limit` bytes are kept, where ssh's own last words are.
final class StderrTail: Sendable {
    static let limit = 16 * 1024

    private let state = Mutex<(bytes: [UInt8], ended: Bool)>(([], false))

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    /// Whether every writer has closed the pipe (ssh has exited, as a rule).
    var ended: Bool { state.withLock { $0.ended } }

    func append(_ chunk: some Collection<UInt8>) {
        state.withLock { state in
            state.bytes.append(contentsOf: chunk)
            if state.bytes.count > 2 * Self.limit { state.bytes.removeFirst(state.bytes.count - Self.limit) }
        }
    }

    func end() {
        state.withLock { state in
            if state.bytes.count > Self.limit { state.bytes.removeFirst(state.bytes.count - Self.limit) }
            state.ended = true
        }
    }

    /// The stderr pipe's channel handler.
    final class Reader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let tail: StderrTail

        init(_ tail: StderrTail) { self.tail = tail }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            tail.append(unwrapInboundIn(data).readableBytesView)
        }

        func channelInactive(context: ChannelHandlerContext) {
            tail.end()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
