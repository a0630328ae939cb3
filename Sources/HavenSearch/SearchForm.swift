import Foundation
import HavenCore

/// The forms a searchable value is reduced to before it is indexed or compared, so that
/// one survivor's name, phone or date of birth typed in different but equivalent ways
/// gives one form. Stored values stay exactly as typed; only these forms are indexed.
///
/// Pure: no I/O, the same input always gives the same form (the index depends on it).
public enum SearchForm {
    /// A name, exactly as a person would still read it as the same name: compatibility
    /// normalisation (NFKC: ໜ and ໝ as ຫນ and ຫມ, ຳ as ໍ + າ, full-width Latin as ASCII),
    /// lower case, zero-width and soft-hyphen characters removed, a leading title or form of
    /// address dropped (`NameTitles`: ນາງ, ທ້າວ, Chị, Ông …, NAMES.md), all spaces removed
    /// (Lao is written with or without them between syllables), Vietnamese tone marks put in
    /// one place per word (old and new placement: hoà = hòa) and Lao tone marks after the
    /// vowel written above the letter. Nil when nothing is left.
    public static func name(_ text: String) -> String? {
        let scalars = titled(text).flatMap { word in LaoMarks.ordered(VietnameseTones.gathered(word)) }
        return scalars.isEmpty ? nil : compose(scalars)
    }

    /// The name without diacritics, for a search that should not depend on them:
    /// `Nguyễn Thị Hà` = `nguyen thi ha`, đ = d, and without its leading title as `name`.
    /// Only Latin marks go (U+0300–U+036F): Lao vowel and tone signs are letters of the
    /// name, not decoration.
    public static func looseName(_ text: String) -> String? {
        let scalars = titled(text).flatMap(looseScalars)
        return scalars.isEmpty ? nil : compose(scalars)
    }

    /// `looseName` as it was before titles were dropped (search index format 2): the form
    /// the keyed digests of finds recorded before then were computed from, so an auditor's
    /// question still finds them (`haven audit searches`).
    public static func looseNameWithTitles(_ text: String) -> String? {
        let scalars = words(text).flatMap(looseScalars)
        return scalars.isEmpty ? nil : compose(scalars)
    }

    /// The words of a name in Lao mark order, without a leading title.
    static func titled(_ text: String) -> [[Unicode.Scalar]] {
        NameTitles.dropped(words(text).map(LaoMarks.ordered))
    }

    /// A word without Latin diacritics, đ as d (the word is in lower case by now).
    static func looseScalars(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        LaoMarks.ordered(word).compactMap { s -> Unicode.Scalar? in
            if (0x300...0x36F).contains(s.value) { return nil }
            if s.value == 0x111 { return "d" }
            return s
        }
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

    /// A date: `YYYY-MM-DD`, from any form `CalendarDate` accepts (day first, as in Lao PDR
    /// and Viet Nam: 15/08/1995, 15-08-1995, 15.08.1995); nil if it is no real date.
    public static func date(_ text: String) -> String? {
        CalendarDate.iso(text)
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
