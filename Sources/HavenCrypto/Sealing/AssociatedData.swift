/// Builds the associated data that binds a ciphertext to its place (FORMAT.md, "associated data").
///
/// A domain string first, so a ciphertext of one kind (a field) can never be accepted as
/// another (a header); then each part length-prefixed, so `("ab","c")` and `("a","bc")`
/// never produce the same bytes.
public struct AssociatedData: Sendable {
    public private(set) var bytes: [UInt8]

    public init(domain: String) {
        bytes = []
        bytes.reserveCapacity(96)
        string(domain)
    }

    @discardableResult
    public mutating func string(_ s: String) -> AssociatedData {
        let utf8 = Array(s.utf8)
        precondition(utf8.count <= UInt16.max)
        appendBigEndian(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
        return self
    }

    @discardableResult
    public mutating func uint64(_ v: UInt64) -> AssociatedData {
        appendBigEndian(v)
        return self
    }

    @discardableResult
    public mutating func uint32(_ v: UInt32) -> AssociatedData {
        appendBigEndian(v)
        return self
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
