import HavenCore
import Yams

/// Parses `policy/agencies.yaml` (format in policy/README.md).
struct AgenciesFileParser {
    let reader: YAMLReader

    static let nameKeys = ["name_lo", "name_vi", "name_en"]

    func parse(_ text: String) throws(PolicyError) -> [AgencyName: Agency] {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "agencies.yaml", allowed: ["agencies"], required: ["agencies"])
        var out = [AgencyName: Agency]()
        for (key, keyNode, value) in try reader.anyMapping(top[0].value, what: "agencies") {
            guard let id = try? AgencyName(key) else {
                throw reader.fail(keyNode, "agency id '\(key)' must use a-z, 0-9, '.', '_' and '-' only")
            }
            let what = "agency '\(key)'"
            var kind: Agency.Kind?
            var names = [String: String]()
            var prefix: String?
            for (k, _, v) in try reader.mapping(value, what: what, allowed: ["type", "case_prefix"] + Self.nameKeys,
                                                required: ["type", "name_en"]) {
                if k == "case_prefix" {
                    let given = try reader.string(v, what: "\(what) case_prefix")
                    guard CasePrefix.isValid(given) else {
                        throw reader.fail(v, "\(what) case_prefix '\(NameRules.printable(given))' must be 2 to 8 capital letters A-Z")
                    }
                    prefix = given
                } else if k == "type" {
                    kind = try reader.word(v, as: Agency.Kind.self, what: "\(what) type")
                } else {
                    let name = try reader.string(v, what: "\(what) \(k)")
                    guard !name.isEmpty else { throw reader.fail(v, "\(what) \(k) is empty") }
                    names[k] = name
                }
            }
            out[id] = Agency(id: id, kind: kind!, names: names, casePrefix: prefix)
        }
        guard !out.isEmpty else { throw reader.fail(root, "no agencies listed; remove the file to accept any agency name") }
        // A prefix someone chose must name one agency: staff read another agency's number in
        // a referral. Derived prefixes that happen to meet are left to the file's authors.
        for (id, agency) in out.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let chosen = agency.casePrefix else { continue }
            if let other = out.values.filter({ $0.id != id }).first(where: { ($0.casePrefix ?? CasePrefix.derived(from: $0.id)) == chosen }) {
                throw reader.fail(root, "agency '\(id)' case_prefix '\(chosen)' is also the case number prefix of agency '\(other.id)'")
            }
        }
        return out
    }
}
