import HavenCore
import NIOCore

/// Refuses JSON nested deeper than Haven's requests ever are, before any decoder sees it:
/// a body of a million `[` must cost a byte scan, not a recursion per level.
enum JSONDepth {
    static let maximum = 16

    static func check(_ body: UnsafeRawBufferPointer) throws(HavenError) {
        var depth = 0
        var inString = false
        var escaped = false
        for b in body {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximum {
                    throw HavenError(.invalidJSON, "the request body is nested deeper than \(maximum) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }
}
