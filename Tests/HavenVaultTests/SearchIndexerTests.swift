import Foundation
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import HavenTestSupport
@testable import HavenVault
import Testing

/// What the vault indexes and how: the bits chosen meet the CipherSweet bound at the design
/// size, spellings of one value give one row, fields and vaults do not share index values,
/// and a query refuses what it cannot search by without repeating it.
@Suite struct SearchIndexerTests {
    static let policy = try! PolicyDirectory.load(Repository.path("policy"))

    static func keys() -> VaultKeys {
        VaultKeys(vaultID: VaultID(bytes: Random.bytes(16)), rootKey: RootKey.generate(), signingKey: SigningKey.generate())
    }

    @Test func theBitsOfEachKindKeepSeveralRecordsPerValueAtTheDesignSize() {
        let r = 1_000_000.0
        for kind in SearchKind.allCases {
            let c = r / Double(1 << SearchIndexer.bits(kind))
            #expect(c >= 2 && c < r.squareRoot(), "\(kind): C = \(c)")
        }
    }

    @Test func theShippedSchemasIndexNamePhoneAndDateOfBirth() {
        let indexer = SearchIndexer(policy: Self.policy, keys: Self.keys())
        #expect(indexer.layout == [SearchFieldLayout(field: "survivor_name", kind: "name/3", bits: 16),
                                   SearchFieldLayout(field: "phone", kind: "phone/3", bits: 16),
                                   SearchFieldLayout(field: "date_of_birth", kind: "date/3", bits: 12)])
    }

    @Test func spellingsOfOneValueGiveOneRowAndUnindexedFieldsNone() throws {
        let indexer = SearchIndexer(policy: Self.policy, keys: Self.keys())
        let name = try FieldName("survivor_name"), phone = try FieldName("phone"), address = try FieldName("address")
        let here = "ossc-vientiane"
        let a = indexer.entries([(name, "Nguyễn Thị Hà"), (phone, "020 5551 2345"), (address, "Hà Tĩnh")], agency: here)
        let b = indexer.entries([(name, "nguyen  thi ha"), (phone, "+856 20 55512345")], agency: here)
        #expect(a == b && a.count == 2)
        // A phone too short to search by has no row, rather than a row of nothing.
        #expect(indexer.entries([(phone, "12")], agency: here).isEmpty)
        // One form in two fields, at two agencies, or in two vaults, gives unrelated values
        // (2^-16 by chance; two forms, so a coincidence of one does not fail the test).
        let forms = ["0205551234", "02055512345"]
        let other = SearchIndexer(policy: Self.policy, keys: Self.keys())
        #expect(forms.contains { indexer.value(name, agency: here, form: $0) != indexer.value(phone, agency: here, form: $0) })
        #expect(forms.contains { indexer.value(phone, agency: here, form: $0) != indexer.value(phone, agency: "lwu-shelter-vientiane", form: $0) })
        #expect(forms.contains { indexer.value(phone, agency: here, form: $0) != other.value(phone, agency: here, form: $0) })
    }

    /// A searched value is looked up at every agency given, in every field of its kind, under
    /// each agency's key: the key an agency's own rows were made with.
    @Test func aLookupHasTheValueOfEachAgencysRows() throws {
        let indexer = SearchIndexer(policy: Self.policy, keys: Self.keys())
        let phone = try FieldName("phone")
        let agencies = ["lwu-shelter-vientiane", "ossc-vientiane", "police-vientiane"]
        let keys = indexer.keys(.phone, form: "02055512345", agencies: agencies)
        #expect(keys.map(\.agency) == agencies && keys.allSatisfy { $0.field == "phone" })
        for a in agencies {
            let row = indexer.entries([(phone, "020 5551 2345")], agency: a)
            #expect(row.map(\.value) == keys.filter { $0.agency == a }.map(\.value))
        }
    }

    @Test func aQueryRefusesWhatItCannotSearchByWithoutRepeatingIt() {
        #expect(throws: HavenError.self) { try SearchQuery(name: nil, phone: nil, dob: nil) }
        for (name, phone, dob, what) in [("   ", nil, nil, "name"), (nil, "ext. 12", nil, "phone"), (nil, nil, "31/02/1998", "dob")]
            as [(String?, String?, String?, String)] {
            do throws(HavenError) {
                _ = try SearchQuery(name: name, phone: phone, dob: dob)
                Issue.record("\(what) accepted")
            } catch {
                #expect(error.code == .invalidValue && error.message.hasPrefix(what), "\(error)")
                for value in [name, phone, dob].compactMap({ $0 }) where !value.trimmingCharacters(in: .whitespaces).isEmpty {
                    #expect(!error.message.contains(value))
                }
            }
        }
        let q = try? SearchQuery(name: "Nguyễn Thị Hà", phone: "020 5551 2345", dob: "07/03/1998")
        #expect(q?.searched == "name,phone,dob" && q?.criteria.map(\.form) == ["nguyenthiha", "02055512345", "1998-03-07"])
        // The exact form keeps the diacritics (its tone marks gathered per word: a key, not a display).
        #expect(q?.criteria.first?.exactName == SearchQuery.criterion(.name, "NGUYỄN  THỊ HÀ".decomposedStringWithCanonicalMapping)?.exactName)
        #expect(q?.criteria.first?.exactName != SearchQuery.criterion(.name, "Nguyễn Thị Hạ")?.exactName)
    }
}
