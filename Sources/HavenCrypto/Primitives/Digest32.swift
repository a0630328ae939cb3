/// A 32-byte digest held inline (no heap allocation), for the hot loops of the Merkle tree
/// and log verification, where millions of hashes are computed and compared.
public struct Digest32: Hashable, Sendable {
    public static let byteCount = 32
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        withUnsafeMutableBytes { dst in
            for (i, b) in bytes.enumerated() { dst[i] = b }
        }
    }

    // The generic initialiser is not specialised for callers in other modules: an audit
    // append or a state tag check paid for a metadata lookup per byte. Arrays and slices,
    // what those callers hold, copy in one step.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        bytes.withUnsafeBytes { src in withUnsafeMutableBytes { $0.copyMemory(from: src) } }
    }

    public init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        bytes.withUnsafeBytes { src in withUnsafeMutableBytes { $0.copyMemory(from: src) } }
    }

    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count == Self.byteCount)
        withUnsafeMutableBytes { $0.copyMemory(from: raw) }
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body($0) }
    }

    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &words) { try body($0) }
    }

    public static func == (a: Digest32, b: Digest32) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
