import Foundation
@testable import HavenSearch
import Testing

/// Each rule of the search forms, with the spellings people really type, and the values
/// that must stay apart.
@Suite struct SearchFormTests {
    let nfc = "Nguyễn Thị Hà"
    var nfd: String { nfc.decomposedStringWithCanonicalMapping }

    @Test func composedAndDecomposedNamesAreOne() {
        #expect(nfc.unicodeScalars.count != nfd.unicodeScalars.count, "the two spellings differ as stored")
        #expect(SearchForm.name(nfc) == SearchForm.name(nfd))
        #expect(SearchForm.name("NGUYỄN   THỊ\tHÀ") == SearchForm.name(nfc), "case and spacing do not count")
    }

    @Test func withoutDiacriticsTheLooseFormMatches() {
        #expect(SearchForm.looseName(nfc) == "nguyenthiha")
        #expect(SearchForm.looseName("nguyen thi ha") == SearchForm.looseName(nfd))
        #expect(SearchForm.looseName("Đặng Văn Đức") == SearchForm.looseName("dang van duc"))
        #expect(SearchForm.name(nfc) != SearchForm.name("nguyen thi ha"), "the exact form keeps the diacritics")
    }

    @Test func oldAndNewVietnameseTonePlacementAreOne() {
        #expect("hoà".precomposedStringWithCanonicalMapping != "hòa".precomposedStringWithCanonicalMapping, "NFC keeps them apart")
        #expect(SearchForm.name("Hoà") == SearchForm.name("Hòa"))
        #expect(SearchForm.name("Thuý") == SearchForm.name("Thúy"))
        // Marks of vowel quality are not tones: ô and ơ stay apart.
        #expect(SearchForm.name("Hồ") != SearchForm.name("Hờ"))
    }

    @Test func laoCompatibilityLettersAndTheirSpellingsAreOne() {
        #expect(SearchForm.name("ໜ") == SearchForm.name("ຫນ"))
        #expect(SearchForm.name("ໝ") == SearchForm.name("ຫມ"))
        #expect(SearchForm.name("ຄຳ") == SearchForm.name("ຄໍາ"))
    }

    @Test func laoToneMarksAroundVowelsAboveAreOne() {
        // ກ + ່ + ິ and ກ + ິ + ່ look alike; NFC leaves them apart.
        let toneFirst = "\u{0E81}\u{0EC8}\u{0EB4}", vowelFirst = "\u{0E81}\u{0EB4}\u{0EC8}"
        #expect(toneFirst.precomposedStringWithCanonicalMapping != vowelFirst.precomposedStringWithCanonicalMapping)
        #expect(SearchForm.name(toneFirst) == SearchForm.name(vowelFirst))
        // ຄ່ຳ typed two ways.
        #expect(SearchForm.name("ຄ\u{0EC8}\u{0EB3}") == SearchForm.name("ຄ\u{0ECD}\u{0EC8}\u{0EB2}"))
    }

    @Test func laoNamesWithAndWithoutSpacesAndZeroWidthCharactersAreOne() {
        let plain = "ສົມພອນ ວົງສະຫວັນ"
        #expect(SearchForm.name(plain) == SearchForm.name("ສົມພອນວົງສະຫວັນ"))
        #expect(SearchForm.name(plain) == SearchForm.name("ສົມ\u{200B}ພອນ\u{00A0}ວົງ\u{200C}ສະຫວັນ"))
        #expect(SearchForm.looseName(plain) == SearchForm.name(plain), "Lao signs are letters, not diacritics")
        #expect(SearchForm.name(plain) != SearchForm.name("ສົມພອນ ວົງສະຫວັນນ"))
    }

    @Test func laoAndVietnamesePhoneSpellingsAreOne() {
        let lao = ["020 5551 2345", "+856 20 55512345", "8562055512345", "00856-20-5551-2345", "(020) 555-12345"]
        #expect(Set(lao.map(SearchForm.phone)) == ["02055512345"])
        let vn = ["0912 345 678", "+84 912 345 678", "84912345678"]
        #expect(Set(vn.map(SearchForm.phone)) == ["0912345678"])
        #expect(SearchForm.phone("໐໒໐ ໕໕໕໑ ໒໓໔໕") == "02055512345", "Lao digits")
        #expect(SearchForm.phone("12-34") == nil, "too short to search by")
        #expect(SearchForm.phone("020 5551 2345") != SearchForm.phone("020 5551 2346"))
    }

    @Test func aDateOfBirthInItsSpellingsIsOne() {
        #expect(Set(["1996-03-07", "07/03/1996", "7/3/1996", "07.03.1996", "7-3-1996", "1996/03/07"].map(SearchForm.date)) == ["1996-03-07"])
        #expect(SearchForm.date("31/02/1996") == nil && SearchForm.date("1996-13-01") == nil && SearchForm.date("yesterday") == nil)
        #expect(SearchForm.date("29/02/2000") == "2000-02-29" && SearchForm.date("29/02/1900") == nil)
    }

    @Test func nothingLeftIsNoForm() {
        #expect(SearchForm.name(" \u{200B} ") == nil && SearchForm.looseName("\u{0301}") == nil)
    }
}
