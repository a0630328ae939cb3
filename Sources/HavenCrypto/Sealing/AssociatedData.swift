/// Builds the associated data that binds a ciphertext to its place (FORMAT.md, "associated data").
///
/// A domain string first, so a ciphertext of one kind (a field) can never be accepted as
/// another (a header); then each part length-prefixed, so `("ab","c")` and `("a","bc")`
/// never produce the same bytes. The same encoding frames the messages of authentication
/// tags (`TagKey`). Parts are appended one call at a time (no chaining: a chained call would
/// append to a copy).
public struct AssociatedData: Sendable {
    public private(set) var bytes: [UInt8]

    public init(domain: String) {
        bytes = []
        bytes.reserveCapacity(96)
        string(domain)
    }

    public mutating func string(_ s: String) {
        let utf8 = s.utf8
        precondition(utf8.count <= UInt16.max)
        appendBigEndian(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A string given as its UTF-8 bytes: the same encoding as `string`.
    public mutating func string(utf8: UnsafeRawBufferPointer) {
        precondition(utf8.count <= UInt16.max)
        appendBigEndian(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func uint64(_ v: UInt64) {
        appendBigEndian(v)
    }

    public mutating func uint32(_ v: UInt32) {
        appendBigEndian(v)
    }

    public mutating func uint8(_ v: UInt8) {
        bytes.append(v)
    }

    /// Bytes of any length, with a 4-byte big-endian length.
    public mutating func blob(_ b: UnsafeRawBufferPointer) {
        precondition(b.count <= UInt32.max)
        appendBigEndian(UInt32(b.count))
        bytes.append(contentsOf: b)
    }

    public mutating func blob(_ b: [UInt8]) {
        b.withUnsafeBytes { blob($0) }
    }

    /// A 32-byte digest, as is: its width is fixed by its place, so it needs no length.
    public mutating func digest(_ d: Digest32) {
        d.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// A 16-byte tag, as is.
    public mutating func tag(_ t: Tag16) {
        t.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// An optional part: a byte 0 when absent, else 1 and the part.
    public mutating func optional<T>(_ value: T?, _ part: (inout AssociatedData, T) -> Void) {
        if let value {
            bytes.append(1)
            part(&self, value)
        } else {
            bytes.append(0)
        }
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
