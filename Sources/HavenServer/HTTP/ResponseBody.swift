import HavenCrypto
import NIOCore

/// An answer's JSON in memory Haven owns, wiped when the answer is released. A sensitive
/// answer (decrypted values, an extract, new shares) leaves no copy behind that Haven did
/// not wipe: the array it was encoded into is wiped as soon as it is copied in, this copy
/// once the socket's copy is made, and the socket's copy once it is written (`wipe(sent:)`).
final class ResponseBody: @unchecked Sendable {
    // Unchecked: the bytes are written once, in `init`, on whatever thread built the
    // answer; the future that carries the answer to its connection orders that before
    // every later read and wipe, which all happen on the connection's event loop.
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var count: Int
    /// Whether the bytes carry values to be wiped once written.
    let sensitive: Bool

    init(_ bytes: [UInt8], sensitive: Bool) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        count = bytes.count
        self.sensitive = sensitive
        bytes.withUnsafeBytes { src in
            UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]).copyMemory(from: src)
            guard sensitive else { return }
            // The array's storage is wiped itself, not a copy of it: it can be shared (an
            // extract's bytes are also the value of the future that carried them), and a
            // copy-on-write copy made to be wiped would leave the original. Every holder of
            // that storage is Haven's and none reads it again.
            HavenCrypto.wipe(UnsafeMutableRawBufferPointer(mutating: src))
        }
    }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
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

    /// Zeroes the body; it reads as empty afterwards.
    func wipeContents() {
        HavenCrypto.wipe(storage)
        count = 0
    }

    deinit {
        HavenCrypto.wipe(storage)
        storage.deallocate()
    }
}
