import Foundation

/// The forms a searchable value is reduced to before it is indexed or compared, so that
/// one survivor's name, phone or date of birth typed in different but equivalent ways
/// gives one form. Stored values stay exactly as typed; only these forms are indexed.
///
/// Pure: no I/O, the same input always gives the same form (the index depends on it).
public enum SearchForm {
    /// A name, exactly as a person would still read it as the same name: compatibility
    /// normalisation (NFKC: ໜ and ໝ as ຫນ and ຫມ, ຳ as ໍ + າ, full-width Latin as ASCII),
    /// lower case, zero-width and soft-hyphen characters removed, all spaces removed (Lao
    /// is written with or without them between syllables), Vietnamese tone marks put in one
    /// place per word (old and new placement: hoà = hòa) and Lao tone marks after the
    /// vowel written above the letter. Nil when nothing is left.
    public static func name(_ text: String) -> String? {
        let scalars = words(text).flatMap { word in LaoMarks.ordered(VietnameseTones.gathered(word)) }
        return scalars.isEmpty ? nil : compose(scalars)
    }

    /// The name without diacritics, for a search that should not depend on them:
    /// `Nguyễn Thị Hà` = `nguyen thi ha`, đ = d. Only Latin marks go (U+0300–U+036F):
    /// Lao vowel and tone signs are letters of the name, not decoration.
    public static func looseName(_ text: String) -> String? {
        let scalars = words(text).flatMap { word in
            LaoMarks.ordered(word).compactMap { s -> Unicode.Scalar? in
                if (0x300...0x36F).contains(s.value) { return nil }
                if s.value == 0x111 { return "d" }  // đ (lower case by now)
                return s
            }
        }
        return scalars.isEmpty ? nil : compose(scalars)
    }

    /// A phone number: its digits (Lao and other decimal digits as 0–9), with the Lao
    /// (+856) and Vietnamese (+84) international forms written nationally (0…), so that
    /// `020 5551 2345`, `+856 20 55512345` and `8562055512345` are one number. Nil with
    /// fewer than 6 digits (not a number one could search by).
    public static func phone(_ text: String) -> String? {
        var digits = [UInt8]()
        for s in text.unicodeScalars where s.properties.numericType == .decimal {
            guard let v = s.properties.numericValue, v >= 0, v <= 9 else { continue }
            digits.append(UInt8(v))
        }
        if digits.starts(with: [0, 0]) { digits.removeFirst(2) }  // 00856…: the international prefix
        for country: [UInt8] in [[8, 5, 6], [8, 4]] where digits.starts(with: country) && digits.count >= country.count + 8 {
            digits = [0] + Array(digits.dropFirst(country.count))
            break
        }
        return digits.count >= 6 ? String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self) : nil
    }

    /// A date: `YYYY-MM-DD` from that form or `DD/MM/YYYY`, `D.M.YYYY`, `DD-MM-YYYY`
    /// (day first, as in Lao PDR and Viet Nam) or `YYYY/MM/DD`; nil if it is no real date.
    public static func date(_ text: String) -> String? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { "-/. ".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let (y, m, d) = parts[0].count == 4 ? (numbers[0], numbers[1], numbers[2]) : (numbers[2], numbers[1], numbers[0])
        guard parts[0].count == 4 || parts[2].count == 4, (1900...2100).contains(y), (1...12).contains(m),
              (1...daysIn(m, y)).contains(d) else { return nil }
        // Written out by hand: String(format:) costs more than the rest of this function,
        // and an index rebuild calls it once per record.
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
    }

    static func daysIn(_ m: Int, _ y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Zero-width spaces and joiners, word joiner, byte-order mark, soft hyphen: invisible,
    /// often pasted in, never part of a name.
    static let ignorable: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]

    /// NFKC, lower case, then decomposed (NFD) and cut into words at white space, with
    /// ignorable characters gone.
    static func words(_ text: String) -> [[Unicode.Scalar]] {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCanonicalMapping
        var words = [[Unicode.Scalar]]()
        var word = [Unicode.Scalar]()
        for s in folded.unicodeScalars where !ignorable.contains(s.value) {
            if s.properties.isWhitespace || s.properties.generalCategory == .spaceSeparator {
                if !word.isEmpty { words.append(word) }
                word = []
            } else {
                word.append(s)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    static func compose(_ scalars: [Unicode.Scalar]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s).precomposedStringWithCanonicalMapping
    }
}
