import HavenCore

/// A 16-byte authentication tag held inline, so that a million of them (one per record in
/// the state ledger) cost no allocation each.
///
/// Equality is constant-time: a tag is compared against one an attacker may have chosen,
/// and an early exit would tell them how many leading bytes they guessed right.
public struct Tag16: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    private var words: (UInt64, UInt64) = (0, 0)

    public init() {}

    /// From 16 bytes in place (no generic iteration: this runs once per audit entry at start).
    public init?(_ raw: UnsafeRawBufferPointer) {
        guard raw.count == Self.byteCount else { return nil }
        withUnsafeMutableBytes { $0.copyMemory(from: raw) }
    }

    public init?(_ bytes: [UInt8]) {
        guard let tag = bytes.withUnsafeBytes({ Tag16($0) }) else { return nil }
        self = tag
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lower-case hex, as the formats write it.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body($0) }
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &words) { try body($0) }
    }

    public static func == (a: Tag16, b: Tag16) -> Bool {
        (a.words.0 ^ b.words.0) | (a.words.1 ^ b.words.1) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}
