import HavenCrypto
import NIOCore

/// A request body in memory Haven owns: each piece the HTTP decoder hands over is copied in
/// once and then wiped where the decoder left it, and this copy is wiped when the request
/// is done (or the connection drops it). A body may carry a survivor's data (a create, an
/// update, a note), and a buffer shared with SwiftNIO could be copied where Haven cannot
/// reach it; this one is never shared, and never moved without wiping what it left.
final class RequestBody {
    private var storage: UnsafeMutableRawBufferPointer
    private(set) var count = 0
    private let maximum: Int

    /// `expected`: the Content-Length, when the client sent one, so that the body lands in
    /// one allocation and never moves; `maximum`: the largest body accepted (the caller
    /// refuses a longer one before appending it).
    init(expected: Int?, maximum: Int) {
        self.maximum = max(maximum, 64)
        storage = .allocate(byteCount: min(max(expected ?? 4096, 64), self.maximum), alignment: 16)
    }

    /// Copies the chunk's readable bytes in, then wipes them in the chunk's own storage.
    func append(_ chunk: ByteBuffer) {
        let n = chunk.readableBytes
        if count + n > storage.count { grow(to: count + n) }
        chunk.withUnsafeReadableBytes { src in
            UnsafeMutableRawBufferPointer(rebasing: storage[count..<count + n]).copyMemory(from: src)
            // The decoder is done with these bytes; writing through the shared storage
            // (rather than a copy-on-write copy of it) is what reaches them.
            wipe(UnsafeMutableRawBufferPointer(mutating: src))
        }
        count += n
    }

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// Zeroes the body; it reads as empty afterwards.
    func wipeContents() {
        wipe(storage)
        count = 0
    }

    private func grow(to needed: Int) {
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, min(storage.count * 2, maximum)), alignment: 16)
        bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<count]))
        wipe(storage)
        storage.deallocate()
        storage = bigger
    }

    deinit {
        wipe(storage)
        storage.deallocate()
    }
}
