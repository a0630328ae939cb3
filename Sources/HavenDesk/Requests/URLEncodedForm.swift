/// An `application/x-www-form-urlencoded` body (or a query string) as its name/value pairs
/// in order, decoded as the WHATWG URL standard says: `+` is a space, `%XX` a byte, and
/// the bytes UTF-8. A body that is not UTF-8 is refused, never repaired.
public enum URLEncodedForm {
    /// Why a body was refused.
    public enum Failure: Error, Equatable, Sendable {
        case notUTF8, tooManyFields
    }

    /// At most this many fields: the longest form of the desk has a few dozen.
    public static let maximumFields = 1000

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard out.count < maximumFields else { throw .tooManyFields }
            let pair = piece.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(pair[0])
            let value = pair.count > 1 ? try decode(pair[1]) : ""
            out.append((name, value))
        }
        return out
    }

    public static func parse(_ text: String) throws(Failure) -> [(name: String, value: String)] {
        try parse(Array(text.utf8))
    }

    /// One name or value: `+` and `%XX` decoded; a `%` not followed by two hex digits is kept.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(Failure) -> String {
        var raw: [UInt8] = []
        raw.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                raw.append(0x20)
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                raw.append(hi << 4 | lo)
                i += 3
                continue
            } else {
                raw.append(b)
            }
            i += 1
        }
        guard let text = String(validating: raw, as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
