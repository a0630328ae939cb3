/// Vietnamese tone marks in one place per word. Two spellings are in use for the same
/// syllable — the old "hòa", the new "hoà" — and NFC keeps them apart. In decomposed form
/// each word's tone marks (grave, acute, tilde, hook above, dot below) are taken from the
/// vowel they sit on and put at the end of the word; marks of vowel quality (circumflex,
/// breve, horn) stay where they are.
enum VietnameseTones {
    static let tones: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]

    static func gathered(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // Only words of Latin letters: a tone mark elsewhere is left as it is.
        guard word.contains(where: { $0.properties.isAlphabetic && $0.value < 0x250 }) else { return word }
        let marks = word.filter { tones.contains($0.value) }
        guard !marks.isEmpty else { return word }
        return word.filter { !tones.contains($0.value) } + marks.sorted { $0.value < $1.value }
    }
}
