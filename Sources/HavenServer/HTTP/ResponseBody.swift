import HavenCrypto
import NIOCore

/// An answer's JSON, held until it is written. A sensitive answer (decrypted values, an
/// extract, new shares) arrives in a `PlaintextBuffer` that the vault or the encoder moved
/// it into, so no array of it is left to wipe after the fact; this body wipes that buffer
/// once the socket's copy is made, and the socket's copy once it is written (`wipe(sent:)`).
final class ResponseBody: @unchecked Sendable {
    // Unchecked: the bytes are set once, in `init`, on whatever thread built the answer; the
    // future that carries the answer to its connection orders that before every later read
    // and wipe, which all happen on the connection's event loop.
    private let plain: [UInt8]
    private let secret: PlaintextBuffer?
    private(set) var count: Int

    /// Whether the bytes carry values to be wiped once written.
    var sensitive: Bool { secret != nil }

    /// An ordinary answer: nothing in it needs wiping.
    init(_ bytes: [UInt8]) {
        plain = bytes
        secret = nil
        count = bytes.count
    }

    /// A sensitive answer, taken over whole: the body is its only owner from now on.
    init(sensitive bytes: PlaintextBuffer) {
        plain = []
        secret = bytes
        count = bytes.count
    }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        if let secret {
            return try secret.withUnsafeBytes { (b) throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: b[0..<count])) }
        }
        // Array's own closure rethrows untyped errors: carry the typed one out in a Result.
        let outcome = plain.withUnsafeBytes { b in
            Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: b[0..<count])) }
        }
        return try outcome.get()
    }

    /// The bytes in a buffer for the socket. Of a sensitive body that buffer is the last
    /// copy, so this one is wiped now; the buffer must go to `wipe(sent:)` once written.
    func socketBuffer(_ allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: count)
        withUnsafeBytes { _ = buffer.writeBytes($0) }
        if sensitive { wipeContents() }
        return buffer
    }

    /// Wipes a sensitive body's socket buffer once the socket has taken it. The storage the
    /// buffer shares with the channel's write is wiped itself: a copy-on-write copy made to
    /// be wiped would leave the bytes that were written.
    static func wipe(sent buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { HavenCrypto.wipe(UnsafeMutableRawBufferPointer(mutating: $0)) }
    }

    /// Zeroes a sensitive body (its buffer is also wiped when released); either reads as
    /// empty afterwards.
    func wipeContents() {
        secret?.withUnsafeMutableBytes { HavenCrypto.wipe($0) }
        count = 0
    }
}
