import HavenCore
import HavenCrypto
import HavenPolicy
import HavenSearch
import HavenStore
import Synchronization

/// The blind indexes this vault keeps: which fields, in which form, in how many bits, each
/// under a key of its agency's own (HavenCrypto `BlindIndex`).
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

    /// The index format, stored with each field's kind in `search_fields` (`name/3`): rows of
    /// another format are made again as the daemon starts. Format 2 gave each agency its keys
    /// (`BlindIndex`); format 3 keeps those keys and indexes names without a leading title or
    /// form of address (`SearchForm`, Sources/HavenSearch/NAMES.md).
    static let format = 3

    /// The form a value of this kind is indexed and compared in: names without diacritics
    /// or a leading title (so `nguyen thi ha` finds `Chị Nguyễn Thị Hà`; the exact form is
    /// compared after opening), phones as national digits, dates as YYYY-MM-DD.
    static func form(_ kind: SearchKind, _ text: String) -> String? {
        switch kind {
        case .name: return SearchForm.looseName(text)
        case .phone: return SearchForm.phone(text)
        case .date: return SearchForm.date(text)
        }
    }

    struct Field: Sendable {
        let kind: SearchKind
        let bits: Int
    }

    let fields: [FieldName: Field]
    private let indexKey: SecureBytes
    /// Each agency's and field's index, made once: a key is a guarded allocation and a hash.
    /// Bounded, since the agencies come from the file (a search looks up every agency that
    /// records name): past the bound an index is made for the one lookup.
    private let indexes = Mutex<[IndexName: BlindIndex]>([:])
    private static let cachedIndexes = 1024

    private struct IndexName: Hashable {
        let agency: String
        let field: FieldName
    }

    init(policy: Policy, keys: VaultKeys) {
        var fields = [FieldName: Field]()
        for (name, kind) in policy.searchFields { fields[name] = Field(kind: kind, bits: Self.bits(kind)) }
        self.fields = fields
        indexKey = keys.searchKey
    }

    /// What `search_fields` must say for the rows to be this indexer's: each field's kind
    /// with the index format (`name/3`), so rows of an earlier format are rebuilt at start.
    var layout: Set<SearchFieldLayout> {
        Set(fields.map { name, field in
            SearchFieldLayout(field: name.rawValue, kind: "\(field.kind.rawValue)/\(Self.format)", bits: field.bits)
        })
    }

    /// The fields searched for one kind of value, in name order.
    func fields(of kind: SearchKind) -> [FieldName] {
        fields.filter { $0.value.kind == kind }.map(\.key).sorted { $0.rawValue < $1.rawValue }
    }

    /// The index rows of the indexed fields among `values` of a record of `agency`; a value
    /// with no search form (a phone of two digits) has none.
    func entries(_ values: [(FieldName, String)], agency: String) -> [SearchIndexEntry] {
        values.compactMap { name, text in
            guard let field = fields[name], let form = Self.form(field.kind, text) else { return nil }
            return SearchIndexEntry(field: name.rawValue, value: index(name, agency: agency).value(form))
        }
    }

    /// What a search form of `kind` is looked up by: its index value in each field of that
    /// kind at each of `agencies`.
    func keys(_ kind: SearchKind, form: String, agencies: [String]) -> [SearchIndexKey] {
        fields(of: kind).flatMap { field in
            agencies.map { SearchIndexKey(agency: $0, field: field.rawValue, value: index(field, agency: $0).value(form)) }
        }
    }

    /// The index value `form` has in `field`'s index at `agency`.
    func value(_ field: FieldName, agency: String, form: String) -> UInt32? {
        fields[field] == nil ? nil : index(field, agency: agency).value(form)
    }

    private func index(_ field: FieldName, agency: String) -> BlindIndex {
        let name = IndexName(agency: agency, field: field)
        if let made = indexes.withLock({ $0[name] }) { return made }
        let made = BlindIndex(indexKey: indexKey, agency: agency, field: field.rawValue, bits: fields[field]?.bits ?? 32)
        indexes.withLock { if $0.count < Self.cachedIndexes { $0[name] = made } }
        return made
    }
}
