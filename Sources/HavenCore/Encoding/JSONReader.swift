/// A strict JSON (RFC 8259) reader for Haven's own canonical documents — the record header
/// opened on every read — where Foundation's `JSONDecoder` costs more than the decryption.
///
/// It builds a small tree and refuses anything a strict reader should: trailing data,
/// duplicate keys, invalid UTF-8, unescaped control characters, lone surrogates, leading
/// zeros, nesting deeper than `maximumDepth`. Requests from clients still go through
/// `JSONDecoder`; this is for bytes Haven wrote and authenticated itself.
public enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text, exactly as written (the caller decides what kind of number it wants).
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses one JSON document; nil if it is not strictly valid.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int = 32) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, maximumDepth: maximumDepth)
            guard let value = reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.position == buffer.count ? value : nil
        }
    }

    /// The first key that appears twice in one object of `bytes`, if any.
    ///
    /// Why every reader of Haven's documents and every request asks this first: readers
    /// disagree on duplicates (Foundation keeps the first, Python's `json` and many others the
    /// last), so a document with a genuine `payload` and a forged second one would verify
    /// here and be read as the forgery elsewhere. A duplicate is refused, never resolved.
    public static func firstDuplicateKey(in bytes: UnsafeRawBufferPointer, maximumDepth: Int = 64) -> String? {
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var reader = JSONReader(bytes: buffer, maximumDepth: maximumDepth)
            _ = reader.value(depth: 0)
            return reader.duplicateKey
        }
    }

    /// Parses one document, or says why not: `duplicateKey` is set when a key appeared
    /// twice in one object (the same check as `firstDuplicateKey`, in the same pass).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int, duplicateKey: inout String?) -> JSONValue? {
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var reader = JSONReader(bytes: buffer, maximumDepth: maximumDepth)
            let value = reader.value(depth: 0)
            duplicateKey = reader.duplicateKey
            guard let value else { return nil }
            reader.skipWhitespace()
            return reader.position == buffer.count ? value : nil
        }
    }

    public static func firstDuplicateKey(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { firstDuplicateKey(in: $0) }
    }

    // MARK: typed access

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A non-negative integer that fits in 64 bits, written without fraction or exponent.
    public var uint64: UInt64? {
        if case .number(let n) = self, n.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return UInt64(n) }
        return nil
    }

    public var int: Int? {
        if case .number(let n) = self, n.utf8.allSatisfy({ $0 != UInt8(ascii: ".") && $0 | 0x20 != UInt8(ascii: "e") }) { return Int(n) }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var members: [(String, JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// The cursor over the bytes; each function consumes one production or returns nil.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var position = 0
    /// Set when parsing stopped at a key seen before in the same object.
    var duplicateKey: String?

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { return false }
        for i in 0..<n where bytes[position + i] != word.utf8Start[i] { return false }
        position += n
        return true
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth <= maximumDepth else { return nil }
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case .some(let c) where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): return number()
        default: return nil
        }
    }

    mutating func object(depth: Int) -> JSONValue? {
        position += 1  // {
        var members = [(String, JSONValue)]()
        // Duplicates are found by comparing with the keys so far while an object is small
        // (Haven's documents have a dozen members): hashing every key cost more than reading
        // the header it was in. A larger object gets a set.
        var keys: Set<String>?
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            let seen = keys?.contains(key) ?? members.contains { $0.0 == key }
            guard !seen else {
                duplicateKey = key
                return nil
            }
            if keys != nil {
                keys!.insert(key)
            } else if members.count == 16 {
                keys = Set(members.map(\.0) + [key])
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let v = value(depth: depth + 1) else { return nil }
            members.append((key, v))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: return nil
            }
        }
    }

    mutating func array(depth: Int) -> JSONValue? {
        position += 1  // [
        var elements = [JSONValue]()
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            guard let v = value(depth: depth + 1) else { return nil }
            elements.append(v)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: return nil
            }
        }
    }

    /// A string; the common case (no escapes) is one validated copy of the bytes.
    mutating func string() -> String? {
        position += 1  // opening quote
        let start = position
        var ascii = true
        while let c = current, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") {
            guard c >= 0x20 else { return nil }
            if c >= 0x80 { ascii = false }
            position += 1
        }
        guard let stop = current else { return nil }
        if stop == UInt8(ascii: "\"") {
            position += 1
            let text = UnsafeBufferPointer(rebasing: bytes[start..<position - 1])
            // ASCII is valid UTF-8 as it stands, and decoding it is a copy; validating goes
            // through an unspecialised generic that cost more than the rest of the parse.
            return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
        }
        var out = Array(bytes[start..<position])
        while let c = current {
            switch c {
            case UInt8(ascii: "\""):
                position += 1
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard let e = current else { return nil }
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            default:
                guard c >= 0x20 else { return nil }
                out.append(c)
                position += 1
            }
        }
        return nil
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
    mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if (0xD800...0xDBFF).contains(high) {
            guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)  // nil for a lone low surrogate
    }

    mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            position += 1
        }
        return v
    }

    /// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    mutating func number() -> JSONValue? {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, first >= 0x30 && first <= 0x39 else { return nil }
        position += 1
        if first != 0x30 { digits() }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return nil }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return nil }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    @discardableResult
    mutating func digits() -> Int {
        let start = position
        while let c = current, c >= 0x30 && c <= 0x39 { position += 1 }
        return position - start
    }
}
