import HavenCore
import Testing

/// Terminal columns: Lao marks and decomposed Vietnamese diacritics take none, CJK two.
@Suite struct DisplayWidthTests {
    @Test func laoVowelAndToneMarksTakeNoColumn() {
        // ແຂວງຫຼວງພະບາງ: 13 scalars, one of them ຼ (U+0EBC, semivowel lo below): 12 columns.
        #expect(DisplayWidth.of("ແຂວງຫຼວງພະບາງ") == 12)
        // ສົມພອນ: ສ + ົ (U+0EBB, vowel above) + ມ + ພ + ອ + ນ: 5 columns of 6 scalars.
        #expect(DisplayWidth.of("ສົມພອນ") == 5)
        // Tone marks (U+0EC8–U+0ECB) and vowels above (U+0EB4–U+0EB7) and below (U+0EB8, U+0EB9).
        #expect(DisplayWidth.of("ຂໍ້ມູນ") == 3)
        #expect(DisplayWidth.of("ຜູ້ຖືກເຄາະຮ້າຍ") == 10)
        for mark in [0x0EB1, 0x0EB4, 0x0EB5, 0x0EB6, 0x0EB7, 0x0EB8, 0x0EB9, 0x0EBA, 0x0EBB, 0x0EBC, 0x0EC8, 0x0EC9, 0x0ECA,
                     0x0ECB, 0x0ECC, 0x0ECD] {
            #expect(DisplayWidth.of(Unicode.Scalar(UInt32(mark))!) == 0, "U+\(String(mark, radix: 16))")
        }
        // ຳ (U+0EB3, AM) is a spacing vowel: one column.
        #expect(DisplayWidth.of("ຳ") == 1)
    }

    @Test func vietnameseTakesOneColumnALetterComposedOrNot() {
        let composed = "Nguyễn Thị Hằng"
        let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} Ha\u{0306}\u{0300}ng"
        #expect(composed.unicodeScalars.count != decomposed.unicodeScalars.count)
        #expect(DisplayWidth.of(composed) == 15 && DisplayWidth.of(decomposed) == 15)
    }

    @Test func wideCharactersTakeTwoAndControlsNone() {
        #expect(DisplayWidth.of("老挝") == 4)
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)  // zero-width space
        #expect(DisplayWidth.of("x\u{7}") == 1)
    }

    @Test func paddingReachesTheWidthInColumns() {
        #expect(DisplayWidth.pad("ສົມ", to: 4) == "ສົມ  ")  // two columns, two spaces
        #expect(DisplayWidth.pad("7", to: 3, alignRight: true) == "  7")
        #expect(DisplayWidth.pad("longer", to: 3) == "longer")
    }
}
