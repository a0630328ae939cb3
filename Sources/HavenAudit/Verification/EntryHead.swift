import HavenCore
import HavenCrypto

/// The sequence number and previous-leaf link of an entry, read straight from its
/// canonical bytes, which always begin `{"v":1,"seq":N,"time":"…","prev":"<64 hex>",`.
///
/// Verification reads these for every entry of a possibly huge log; a full JSON parse
/// would cost ten times the hashing. Anything not in exactly this form is malformed.
public struct EntryHead: Equatable, Sendable {
    public let seq: UInt64
    public let previousLeafHash: Digest32

    private static let start = Array(#"{"v":1,"seq":"#.utf8)
    private static let timeKey = Array(#","time":""#.utf8)
    private static let prevKey = Array(#"","prev":""#.utf8)

    public init?(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        func expect(_ literal: [UInt8]) -> Bool {
            guard i + literal.count <= bytes.count else { return false }
            for b in literal {
                guard bytes[i] == b else { return false }
                i += 1
            }
            return true
        }
        guard expect(Self.start) else { return nil }
        var seq: UInt64 = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            // Canonical integers have no leading zeros and fit in 64 bits.
            if digits == 1 && seq == 0 { return nil }
            let (m, o1) = seq.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 0x30))
            guard !o1, !o2 else { return nil }
            seq = a
            digits += 1
            i += 1
        }
        guard digits > 0, expect(Self.timeKey) else { return nil }
        // The time is fixed width: YYYY-MM-DDTHH:MM:SS.mmmZ.
        i += 24
        guard expect(Self.prevKey), i + 65 <= bytes.count, bytes[i + 64] == UInt8(ascii: "\"") else { return nil }
        var prev = Digest32()
        let ok = prev.withUnsafeMutableBytes { out -> Bool in
            for k in 0..<32 {
                guard let hi = Self.nibble(bytes[i + 2 * k]), let lo = Self.nibble(bytes[i + 2 * k + 1]) else { return false }
                out[k] = hi << 4 | lo
            }
            return true
        }
        guard ok else { return nil }
        self.seq = seq
        self.previousLeafHash = prev
    }

    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil  // canonical hex is lower case
        }
    }
}
