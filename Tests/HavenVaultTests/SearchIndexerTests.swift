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
        #expect(indexer.layout == [SearchFieldLayout(field: "survivor_name", kind: "name", bits: 16),
                                   SearchFieldLayout(field: "phone", kind: "phone", bits: 16),
                                   SearchFieldLayout(field: "date_of_birth", kind: "date", bits: 12)])
    }

    @Test func spellingsOfOneValueGiveOneRowAndUnindexedFieldsNone() throws {
        let indexer = SearchIndexer(policy: Self.policy, keys: Self.keys())
        let name = try FieldName("survivor_name"), phone = try FieldName("phone"), address = try FieldName("address")
        let a = indexer.entries([(name, "Nguyễn Thị Hà"), (phone, "020 5551 2345"), (address, "Hà Tĩnh")])
        let b = indexer.entries([(name, "nguyen  thi ha"), (phone, "+856 20 55512345")])
        #expect(a == b && a.count == 2)
        // A phone too short to search by has no row, rather than a row of nothing.
        #expect(indexer.entries([(phone, "12")]).isEmpty)
        // One form in two fields, or in two vaults, gives unrelated values (2^-16 by chance).
        let form = "0205551234"
        let other = SearchIndexer(policy: Self.policy, keys: Self.keys())
        #expect(indexer.value(name, form: form) != indexer.value(phone, form: form)
                || indexer.value(name, form: form + "5") != indexer.value(phone, form: form + "5"))
        #expect(indexer.entries([(phone, "020 5551 2345")]) != other.entries([(phone, "020 5551 2345")])
                || indexer.entries([(name, "Hà")]) != other.entries([(name, "Hà")]))
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
