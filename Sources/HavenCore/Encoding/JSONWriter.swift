/// Writes JSON in Haven's canonical form: members in the order the writer emits them, no
/// insignificant whitespace, integers only, and one fixed string escaping.
///
/// Canonical bytes matter because audit entries, checkpoints and extracts are hashed and
/// signed as bytes: the same document must always serialise to the same bytes.
///
/// String escaping: `"` → `\"`, `\` → `\\`, bytes below 0x20 → `\u00xx` (lower-case hex),
/// everything else (all other Unicode, including `/` and U+2028) is written as raw UTF-8.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    private var first = true

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The document, handed over as the only reference to its storage (the writer is left
    /// empty), so a caller can move it into wiped memory without a copy being left behind.
    public mutating func take() -> [UInt8] {
        var document = [UInt8]()
        swap(&document, &bytes)
        return document
    }

    // MARK: containers

    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separator()
        bytes.append(UInt8(ascii: "{"))
        first = true
        try body(&self)
        first = false
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func array(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separator()
        bytes.append(UInt8(ascii: "["))
        first = true
        try body(&self)
        first = false
        bytes.append(UInt8(ascii: "]"))
    }

    /// Starts an object member; the next value written belongs to it.
    public mutating func key(_ name: String) {
        separator()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        first = true  // the member's value must not write another separator
    }

    // MARK: scalars (as array elements or member values)

    public mutating func string(_ value: String) {
        separator()
        appendString(value)
    }

    /// Writes a string from bytes already known to be valid UTF-8 (checked when they were stored).
    public mutating func string(utf8 value: UnsafeRawBufferPointer) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        for b in value { appendEscaped(b) }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    // The generic `int` is not specialised for callers in other modules (every audit entry
    // and answer): the integers Haven writes get their own entry points.
    public mutating func int(_ value: Int) { int64(Int64(value)) }
    public mutating func int(_ value: UInt64) {
        separator()
        appendDigits(value)
    }
    public mutating func int(_ value: Int64) { int64(value) }
    public mutating func int(_ value: UInt32) { int(UInt64(value)) }
    public mutating func int(_ value: Int32) { int64(Int64(value)) }

    private mutating func int64(_ value: Int64) {
        separator()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
    }

    private mutating func appendDigits(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, in 24 bytes
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]))
        }
    }

    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Appends JSON that is already canonical (for example a stored document) as one value.
    public mutating func raw(_ json: [UInt8]) {
        separator()
        bytes.append(contentsOf: json)
    }

    // MARK: member shorthands

    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }
    public mutating func field<I: BinaryInteger>(_ name: String, _ value: I) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: UInt64) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Int64) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: UInt32) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Int32) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        array { w in for s in strings { w.string(s) } }
    }

    // MARK: internals

    private mutating func separator() {
        if first {
            first = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: checked in one pass, then copied in one step rather
        // than appended a byte at a time.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: s.utf8)
        } else {
            for b in s.utf8 { appendEscaped(b) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    @inline(__always)
    private mutating func appendEscaped(_ b: UInt8) {
        switch b {
        case UInt8(ascii: "\""):
            bytes.append(UInt8(ascii: "\\")); bytes.append(b)
        case UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\")); bytes.append(b)
        case 0..<0x20:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.hexDigits[Int(b >> 4)])
            bytes.append(Self.hexDigits[Int(b & 0x0F)])
        default:
            bytes.append(b)
        }
    }
}
