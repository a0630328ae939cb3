/// Lao tone marks after the vowel written above the same letter. Both orders are typed
/// (ກິ່ and ກ່ິ look alike) and have no canonical order in Unicode — the vowels above have
/// combining class 0 — so NFC leaves them apart; here a tone mark followed by a vowel
/// above swaps with it.
enum LaoMarks {
    /// ່ ້ ໊ ໋
    static let tones: Set<UInt32> = [0x0EC8, 0x0EC9, 0x0ECA, 0x0ECB]
    /// ັ ິ ີ ຶ ື ົ ໍ
    static let vowelsAbove: Set<UInt32> = [0x0EB1, 0x0EB4, 0x0EB5, 0x0EB6, 0x0EB7, 0x0EBB, 0x0ECD]

    static func ordered(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var s = word
        var moved = true
        while moved {
            moved = false
            for i in s.indices.dropLast() where tones.contains(s[i].value) && vowelsAbove.contains(s[i + 1].value) {
                s.swapAt(i, i + 1)
                moved = true
            }
        }
        return s
    }
}
