import HavenCore
import HavenCrypto
import HavenPolicy
import HavenSearch

/// What one search looks for: each criterion a kind of value in its search form; a record
/// matches when every criterion matches one of its fields of that kind.
///
/// Built only from checked text, and never logged or audited: the searched values are the
/// survivor's data; the audit entry keeps only their keyed digests (`SearchDigest`). Errors
/// name the criterion, never the value.
struct SearchQuery {
    struct Criterion {
        let kind: SearchKind
        /// The indexed form (a name without diacritics).
        let form: String
        /// A name's form with its diacritics, to say whether a match is exact.
        let exactName: String?
    }

    let criteria: [Criterion]

    /// The longest value one criterion takes.
    static let maximumLength = 200

    init(_ criteria: [Criterion]) {
        self.criteria = criteria
    }

    /// A query from what a caller typed (`what` names each value in an error).
    init(name: String?, phone: String?, dob: String?) throws(HavenError) {
        let criteria = try Self.criteria(name: name, phone: phone, dob: dob)
        // A date alone names every survivor born that day (some 50 at a million records), by
        // agency: a census of who is a survivor, not a search for one.
        guard criteria.contains(where: { $0.kind != .date }) else {
            throw HavenError(.badRequest, "a date of birth alone is not a search",
                             hint: "give the survivor's name or phone too, with the date of birth if you like")
        }
        self.criteria = criteria
    }

    /// The criteria of the values given, at least one; each checked, and refused naming the
    /// criterion when it has no search form.
    static func criteria(name: String?, phone: String?, dob: String?) throws(HavenError) -> [Criterion] {
        var criteria = [Criterion]()
        for (kind, text, what, want) in [(SearchKind.name, name, "name", "letters"), (.phone, phone, "phone", "at least 6 digits"),
                                         (.date, dob, "dob", "a date: YYYY-MM-DD or DD/MM/YYYY")] {
            guard let text else { continue }
            try FieldValueRules.checkText(text, what: what, maximum: Self.maximumLength)
            guard let c = Self.criterion(kind, text) else {
                throw HavenError(.invalidValue, "\(what) has nothing to search by: it needs \(want)")
            }
            criteria.append(c)
        }
        guard !criteria.isEmpty else {
            throw HavenError(.badRequest, "nothing to search by", hint: "give a name, a phone or a date of birth (dob)")
        }
        return criteria
    }

    /// The criterion a value gives, or nil when it has no search form.
    static func criterion(_ kind: SearchKind, _ text: String) -> Criterion? {
        guard let form = SearchIndexer.form(kind, text) else { return nil }
        return Criterion(kind: kind, form: form, exactName: kind == .name ? SearchForm.name(text) : nil)
    }

    /// The criteria's kinds as the audit log names them (`name,phone,dob`).
    var searched: String {
        criteria.map { Self.word($0.kind) }.joined(separator: ",")
    }

    /// `name_digest`, `phone_digest`, `dob_digest`: each searched value's keyed digest, the
    /// audit entry's only trace of what was searched for (`haven audit searches`).
    func digests(_ digest: SearchDigest) -> [String: String] {
        var out = [String: String]()
        for c in criteria { out[Self.digestKey(c.kind)] = digest.digest(kind: Self.word(c.kind), form: c.form) }
        return out
    }

    /// The word the log and the API use for a kind of value.
    static func word(_ kind: SearchKind) -> String {
        kind == .date ? "dob" : kind.rawValue
    }

    /// The audit entry's key for the digest of a kind of value.
    static func digestKey(_ kind: SearchKind) -> String {
        word(kind) + "_digest"
    }
}
