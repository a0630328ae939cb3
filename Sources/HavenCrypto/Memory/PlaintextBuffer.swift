import CSodium

/// Decrypted field bytes, wiped with `sodium_memzero` when released.
///
/// Plain heap memory rather than `sodium_malloc`: a read opens a dozen fields and guarded
/// allocations cost several system calls each. Keys, which live long, use `SecureBytes`.
public final class PlaintextBuffer: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    public let count: Int

    public init(count: Int) {
        self.count = count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    }

    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        let dst = pointer.assumingMemoryBound(to: UInt8.self)
        var i = 0
        for b in bytes { dst[i] = b; i += 1 }
    }

    /// Takes an encoder's fresh output into memory wiped on release, and zeroes the array
    /// where it lies. `bytes` must be the only reference to its storage (an array just
    /// returned by an encoder): were it shared, writing through it would zero a copy made for
    /// the write and leave the original, which is why answers are not wiped after the fact.
    public convenience init(taking bytes: inout [UInt8]) {
        self.init(count: bytes.count)
        guard !bytes.isEmpty else { return }
        let destination = UnsafeMutableRawBufferPointer(start: pointer, count: count)
        let address = bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source)
            return source.baseAddress
        }
        bytes.withUnsafeMutableBytes { b in
            precondition(UnsafeRawPointer(b.baseAddress) == address, "a shared array was taken: its storage was copied, not zeroed")
            sodium_memzero(b.baseAddress!, b.count)
        }
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// The value as a Swift string; Swift strings cannot be wiped, so call this only where
    /// a string is unavoidable (the CLI's output, a document being rendered).
    public func string() -> String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    deinit {
        sodium_memzero(pointer, max(count, 1))
        pointer.deallocate()
    }
}
