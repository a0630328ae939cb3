import Foundation
@testable import HavenSearch
import Testing

/// The title rule (NAMES.md), each side of each trade-off: what is dropped, what stays, and
/// that a name stored and searched with or without its title gives one form.
@Suite struct NameTitlesTests {
    /// The form a search compares: both spellings must give it.
    func same(_ a: String, _ b: String) -> Bool {
        SearchForm.looseName(a) != nil && SearchForm.looseName(a) == SearchForm.looseName(b)
    }

    @Test func laoTitlesGoSpacedOrNot() {
        for titled in ["ນາງ ສົມພອນ ວົງສະຫວັນ", "ນາງສົມພອນ ວົງສະຫວັນ", "ນ. ສົມພອນ ວົງສະຫວັນ", "ນ.ສົມພອນ ວົງສະຫວັນ",
                       "ທ່ານນາງ ສົມພອນ ວົງສະຫວັນ", "ທ່ານ ນາງ ສົມພອນ ວົງສະຫວັນ", "ດຣ. ສົມພອນ ວົງສະຫວັນ", "ປອ. ສົມພອນ ວົງສະຫວັນ",
                       "ເອື້ອຍສົມພອນ ວົງສະຫວັນ", "ແມ່ຕູ້ ສົມພອນ ວົງສະຫວັນ", "ນາງສາວ ສົມພອນ ວົງສະຫວັນ"] {
            #expect(same(titled, "ສົມພອນ ວົງສະຫວັນ"), "\(titled)")
        }
        for titled in ["ທ້າວ ບຸນມີ", "ທ້າວບຸນມີ", "ທ. ບຸນມີ", "ອ້າຍບຸນມີ", "ນ້ອງ ບຸນມີ", "ພໍ່ ບຸນມີ", "ສາມະເນນ ບຸນມີ"] {
            #expect(same(titled, "ບຸນມີ"), "\(titled)")
        }
        // The exact form drops it too, so a titled match is still exact.
        #expect(SearchForm.name("ນາງ ສົມພອນ") == SearchForm.name("ສົມພອນ"))
    }

    @Test func laoTitlesGoOnlyBeforeANewSyllable() {
        // ນາງາມ is Na-ngam: the vowel after ນາງ belongs to ງ, so there is no title.
        #expect(SearchForm.looseName("ນາງາມ") == "ນາງາມ")
        // ນາງສາວິດ is ນາງ + ສາວິດ, not ນາງສາວ + ິດ.
        #expect(same("ນາງສາວິດ", "ສາວິດ"))
        // A consonant begins a syllable: ນາງງາມ is ນາງ + ງາມ.
        #expect(same("ນາງງາມ", "ງາມ"))
        // ພະ begins too many names and words to be dropped: a monk is searched with it.
        #expect(!same("ພະ ບຸນມີ", "ບຸນມີ"))
    }

    @Test func aNameThatIsOnlyATitleStays() {
        #expect(SearchForm.looseName("ນາງ") == "ນາງ")
        #expect(SearchForm.looseName("ທ່ານ ນາງ") == "ນາງ", "titles go one by one while something is left")
        #expect(SearchForm.looseName("Anh") == "anh")
        #expect(SearchForm.looseName("Chị") == "chi")
    }

    @Test func vietnameseFormsOfAddressGoBeforeTwoWordsOrMore() {
        for titled in ["Chị Nguyễn Thị Lan", "chị nguyễn thị lan", "CHỊ NGUYỄN THỊ LAN", "chi nguyen thi lan", "Bà Nguyễn Thị Lan",
                       "Cô Nguyễn Thị Lan", "Em Nguyễn Thị Lan", "Dì Nguyễn Thị Lan", "Thím Nguyễn Thị Lan"] {
            #expect(same(titled, "nguyen thi lan"), "\(titled)")
        }
        #expect(same("Ông Trần Văn Hùng", "Tran Van Hung"))
        #expect(same("Anh Lê Minh", "Lê Minh"), "a two-word name keeps its form of address off")
        #expect(SearchForm.name("Chị Nguyễn Thị Lan") == SearchForm.name("Nguyễn Thị Lan"))
    }

    @Test func aGivenNameThatLooksLikeAFormOfAddressStays() {
        // Followed by one word only: "Anh Tuấn" is a given name, so "Tuấn" does not find it
        // (the price: "Chị Lan" is not found as "Lan").
        #expect(SearchForm.looseName("Anh Tuấn") == "anhtuan")
        #expect(!same("Chị Lan", "Lan"))
        // Anywhere but first, it is the name's.
        #expect(SearchForm.looseName("Nguyễn Anh Tuấn") == "nguyenanhtuan")
        #expect(SearchForm.looseName("Trần Thị Em") == "tranthiem")
        // Chú and Cháu are not dropped: without diacritics they are the surnames Chu and Châu.
        #expect(SearchForm.looseName("Chu Văn An") == "chuvanan")
        #expect(SearchForm.looseName("Châu Văn Liêm") == "chauvanliem")
    }

    @Test func theSurnameOngIsTheRulesPrice() {
        // Ông is also a surname: "Ông Văn Tùng" is indexed as "Văn Tùng". Found still by its
        // whole name (both sides drop it), and also by "Văn Tùng": more candidates, no miss.
        #expect(same("Ông Văn Tùng", "Văn Tùng"))
        #expect(same("Ông Văn Tùng", "ong van tung"))
    }

    @Test func spacingIsTheOneWayTwoSpellingsThatMetCanPart() {
        // Before, spaces never counted; the rule counts Vietnamese words after a form of address.
        #expect(SearchForm.looseNameWithTitles("Chị NguyễnThịLan") == SearchForm.looseNameWithTitles("Chị Nguyễn Thị Lan"))
        #expect(!same("Chị NguyễnThịLan", "Chị Nguyễn Thị Lan"))
        // Lao spacing does not count, as before.
        #expect(same("ນາງສົມພອນວົງສະຫວັນ", "ນາງ ສົມພອນ ວົງ ສະຫວັນ"))
    }

    @Test func theFormBeforeTitlesKeepsThem() {
        #expect(SearchForm.looseNameWithTitles("Chị Nguyễn Thị Lan") == "chinguyenthilan")
        #expect(SearchForm.looseNameWithTitles("ນາງ ສົມພອນ") == "ນາງສົມພອນ")
        #expect(SearchForm.looseNameWithTitles("Nguyễn Thị Lan") == SearchForm.looseName("Nguyễn Thị Lan"))
    }

    @Test func aNameWithoutTitleGivesTheFormerFormBehindEachTitle() {
        let lan = SearchForm.looseNamesWithEachTitle("Nguyễn Thị Lan")
        #expect(lan.contains("chinguyenthilan") && lan.contains("banguyenthilan") && lan.contains("ongnguyenthilan"))
        let somphone = SearchForm.looseNamesWithEachTitle("ສົມພອນ")
        #expect(somphone.contains(SearchForm.looseNameWithTitles("ນາງ ສົມພອນ")!))
        #expect(somphone.contains(SearchForm.looseNameWithTitles("ທ່ານນາງສົມພອນ")!))
        #expect(!somphone.contains(SearchForm.looseName("ສົມພອນ")!))
        #expect(lan.count <= SearchForm.maximumFormerTitledForms && somphone.count <= SearchForm.maximumFormerTitledForms)
        // A name asked with its title, or with one word after a form of address, gets none.
        #expect(SearchForm.looseNamesWithEachTitle("Chị Nguyễn Thị Lan").isEmpty)
        #expect(!SearchForm.looseNamesWithEachTitle("Lan").contains("chilan"))
    }

    @Test func datesAreReadDayFirstAndNeverMonthFirst() {
        for typed in ["15/08/1995", "15-08-1995", "15.08.1995", "15 08 1995", "1995-08-15", "1995/08/15", " 15/8/1995 "] {
            #expect(SearchForm.date(typed) == "1995-08-15", "\(typed)")
        }
        #expect(SearchForm.date("01/02/2020") == "2020-02-01", "day first, always")
        for refused in ["31/02/2020", "2020-13-01", "08/15/1995", "15/08/95", "29/02/2021", "1995-08", "15/08/1899"] {
            #expect(SearchForm.date(refused) == nil, "\(refused)")
        }
        #expect(SearchForm.date("29/02/2020") == "2020-02-29")
    }
}
