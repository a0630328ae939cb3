import HavenCore
import HavenCrypto
import HavenPolicy
import HavenSearch
import HavenStore

/// The blind indexes this vault keeps: which fields, in which form, in how many bits.
/// Fixed for the daemon's life (built from the policy at start), so every row it writes
/// agrees with `search_fields`; a policy reload that changes `search:` keys takes effect at
/// the next start, which rebuilds the rows (`DerivedRowsRebuild`).
final class SearchIndexer: Sendable {
    /// Bits of an index value per kind, for a design size of R = 1,000,000 records, so that
    /// the expected records per index value C = R / 2^bits stays 2 ≤ C < √R = 1,000
    /// (FORMAT.md, "search index"):
    /// - names, 16 bits: C ≈ 15; a lookup names about 15 candidates besides the true
    ///   matches, each dropped once one field of it is decrypted;
    /// - phones, 16 bits: C ≈ 15;
    /// - dates, 12 bits: C ≈ 244. A date of birth has only some 36,500 possible values in a
    ///   century and real ones cluster, so more bits would soon single out a birthday.
    static func bits(_ kind: SearchKind) -> Int {
        switch kind {
        case .name: return 16
        case .phone: return 16
        case .date: return 12
        }
    }

    /// The form a value of this kind is indexed and compared in: names without diacritics
    /// (so `nguyen thi ha` finds `Nguyễn Thị Hà`; the exact form is compared after
    /// opening), phones as national digits, dates as YYYY-MM-DD.
    static func form(_ kind: SearchKind, _ text: String) -> String? {
        switch kind {
        case .name: return SearchForm.looseName(text)
        case .phone: return SearchForm.phone(text)
        case .date: return SearchForm.date(text)
        }
    }

    struct Field: Sendable {
        let kind: SearchKind
        let index: BlindIndex
    }

    let fields: [FieldName: Field]

    init(policy: Policy, keys: VaultKeys) {
        var fields = [FieldName: Field]()
        for (name, kind) in policy.searchFields {
            fields[name] = Field(kind: kind, index: BlindIndex(indexKey: keys.searchKey, field: name.rawValue, bits: Self.bits(kind)))
        }
        self.fields = fields
    }

    /// What `search_fields` must say for the rows to be this indexer's.
    var layout: Set<SearchFieldLayout> {
        Set(fields.map { SearchFieldLayout(field: $0.key.rawValue, kind: $0.value.kind.rawValue, bits: $0.value.index.bits) })
    }

    /// The fields searched for one kind of value, in name order.
    func fields(of kind: SearchKind) -> [FieldName] {
        fields.filter { $0.value.kind == kind }.map(\.key).sorted { $0.rawValue < $1.rawValue }
    }

    /// The index rows of the indexed fields among `values`; a value with no search form
    /// (a phone of two digits) has none.
    func entries(_ values: [(FieldName, String)]) -> [SearchIndexEntry] {
        values.compactMap { name, text in
            guard let field = fields[name], let form = Self.form(field.kind, text) else { return nil }
            return SearchIndexEntry(field: name.rawValue, value: field.index.value(form))
        }
    }

    /// The index value `form` has in `field`'s index.
    func value(_ field: FieldName, form: String) -> UInt32? {
        fields[field]?.index.value(form)
    }
}
