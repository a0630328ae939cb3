/// How many terminal columns a string takes, for text tables: a combining mark (a Lao
/// vowel sign above or below, a Lao tone mark, a decomposed Vietnamese diacritic) takes
/// none, a wide character (CJK, Hangul, full-width forms) two, and every other printing
/// character one. Counting characters or UTF-16 units instead puts Lao columns out of line.
public enum DisplayWidth {
    /// The columns `s` takes.
    public static func of(_ s: String) -> Int {
        var width = 0
        for scalar in s.unicodeScalars { width += of(scalar) }
        return width
    }

    /// The columns one scalar takes: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if laoMarks.contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels and final consonants join the syllable
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// `s` padded with spaces to `width` columns, on the right (or on the left, to align
    /// numbers right); a string already as wide is returned as it is.
    public static func pad(_ s: String, to width: Int, alignRight: Bool = false) -> String {
        let missing = width - of(s)
        guard missing > 0 else { return s }
        let spaces = String(repeating: " ", count: missing)
        return alignRight ? spaces + s : s + spaces
    }

    /// Lao vowel signs above and below, the cancellation mark and the tone marks, named
    /// here as well as by their category so that an older Unicode table cannot widen them.
    static let laoMarks: Set<UInt32> = Set([0x0EB1] + Array(0x0EB4...0x0EBC) + Array(0x0EC8...0x0ECD))

    /// East Asian Wide and Fullwidth ranges (UAX #11) that Haven's users may meet.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
