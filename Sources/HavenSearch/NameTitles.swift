/// Titles and forms of address written before a name, dropped from its search form so that
/// `ນາງ ສົມພອນ`, `ນາງສົມພອນ` and `ສົມພອນ`, or `Chị Nguyễn Thị Lan` and `nguyen thi lan`,
/// give one form (Sources/HavenSearch/NAMES.md gives the lists, the rule and its costs).
///
/// The rule reads the words of the name's loose form (no case, no Latin diacritics), applied
/// alike to the value stored and to the value searched: a name is then found whenever it was
/// before (unless spelled with other spaces, NAMES.md), and the price of dropping a word that
/// was a name is only a wider set of candidates, never a miss.
enum NameTitles {
    /// Lao titles, kinship forms of address and their abbreviations, longest first. Spaces
    /// between Lao syllables are not written reliably, so each is dropped whether a space
    /// follows it or not, provided the name goes on with a new syllable (`isSyllableStart`).
    static let lao: [[Unicode.Scalar]] = laoWritten
        .map { LaoMarks.ordered(SearchForm.words($0).joined().map { $0 }) }.sorted { $0.count > $1.count }

    /// The Lao titles as they are written.
    static let laoWritten = [
        "ທ່ານນາງ", "ທ່ານ", "ນາງສາວ", "ນາງ", "ທ້າວ", "ນ.", "ທ.", "ດຣ.", "ປອ.",
        "ເອື້ອຍ", "ອ້າຍ", "ນ້ອງ", "ແມ່ຕູ້", "ພໍ່ຕູ້", "ແມ່", "ພໍ່", "ສາມະເນນ",
    ]

    /// Vietnamese forms of address, in their loose form. Not `chú` nor `cháu`: without
    /// diacritics they are the surnames Chu and Châu.
    static let vietnamese: Set<String> = ["ong", "ba", "anh", "chi", "em", "co", "bac", "di", "cau", "thim"]

    /// Vietnamese names are one to four words and `Anh`, `Em`, `Ông` are also names: a form
    /// of address is dropped only when at least this many words follow it.
    static let vietnameseWordsAfter = 2

    /// `words` (each already in `LaoMarks` order) without their leading titles, as long as
    /// something of the name is left.
    static func dropped(_ words: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        var words = words
        while let first = words.first {
            if words.count > vietnameseWordsAfter, vietnamese.contains(loose(first)) {
                words.removeFirst()
            } else if let title = lao.first(where: { leads(first, $0, more: words.count > 1) }) {
                if first.count == title.count {
                    words.removeFirst()
                } else {
                    words[0] = Array(first.dropFirst(title.count))
                }
            } else {
                break
            }
        }
        return words
    }

    /// Whether `word` begins with the Lao `title` and the name goes on after it: in the same
    /// word from a new syllable, or in the words after (`more`).
    static func leads(_ word: [Unicode.Scalar], _ title: [Unicode.Scalar], more: Bool) -> Bool {
        guard word.starts(with: title) else { return false }
        return word.count > title.count ? isSyllableStart(word[title.count]) : more
    }

    /// Whether a Lao name can begin at this letter: a consonant or a vowel written before
    /// its consonant (ເ ແ ໂ ໃ ໄ), or anything outside the Lao block. A vowel or tone mark
    /// belongs to the syllable before it: `ນາງາມ` is Na-ngam, not ນາງ + າມ.
    static func isSyllableStart(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0E81...0x0EAE, 0x0EC0...0x0EC4, 0x0EDC...0x0EDF: return true
        case 0x0E80...0x0EFF: return false
        default: return true
        }
    }

    /// The word as `SearchForm.looseName` compares it: no Latin diacritics, đ as d.
    static func loose(_ word: [Unicode.Scalar]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: SearchForm.looseScalars(word))
        return String(s)
    }
}
