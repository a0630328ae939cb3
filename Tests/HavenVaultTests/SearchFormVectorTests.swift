import Foundation
import HavenCrypto
import HavenSearch
import HavenTestSupport
import Testing

/// The search forms of names as people write them (titles, forms of address, diacritics,
/// spacing) and their index values, pinned to Tests/Fixtures/format-v1/vectors.json as
/// scripts/format-vectors.py computes them from Sources/HavenSearch/NAMES.md with Python's
/// unicodedata, not from this code: index format 3 is these forms under format 2's keys.
@Suite struct SearchFormVectorTests {
    struct Vectors: Decodable {
        let root_key: String
        let search_form: [Name]
    }

    struct Name: Decodable {
        let text: String
        let name: String?
        let loose_name: String?
        let loose_name_with_titles: String?
        let value: UInt32
    }

    let v: Vectors = try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: URL(fileURLWithPath: FormatVectorTests.file)))

    @Test func namesHaveTheSecondImplementationsForms() {
        #expect(v.search_form.count >= 20)
        for n in v.search_form {
            #expect(SearchForm.name(n.text) == n.name, "\(n.text)")
            #expect(SearchForm.looseName(n.text) == n.loose_name, "\(n.text)")
            #expect(SearchForm.looseNameWithTitles(n.text) == n.loose_name_with_titles, "\(n.text)")
        }
    }

    @Test func namesHaveTheSecondImplementationsIndexValues() throws {
        let root = try RootKey(material: SecureBytes(hex: v.root_key))
        let index = BlindIndex(rootKey: root, agency: "ossc-vientiane", field: "survivor_name", bits: 16)
        for n in v.search_form {
            #expect(index.value(try #require(n.loose_name)) == n.value, "\(n.text)")
        }
        // One name with and without its title is one value; the same holds across scripts.
        let value = { (text: String) in v.search_form.first { $0.text == text }?.value }
        #expect(value("ນາງ ສົມພອນ ວົງສະຫວັນ") == value("ສົມພອນ ວົງສະຫວັນ"))
        #expect(value("Chị Nguyễn Thị Lan") == value("nguyen thi lan"))
        #expect(value("Anh Tuấn") != value("Nguyễn Anh Tuấn"))
    }
}
