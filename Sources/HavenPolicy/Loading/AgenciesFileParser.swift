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
            for (k, _, v) in try reader.mapping(value, what: what, allowed: ["type"] + Self.nameKeys, required: ["type", "name_en"]) {
                if k == "type" {
                    kind = try reader.word(v, as: Agency.Kind.self, what: "\(what) type")
                } else {
                    let name = try reader.string(v, what: "\(what) \(k)")
                    guard !name.isEmpty else { throw reader.fail(v, "\(what) \(k) is empty") }
                    names[k] = name
                }
            }
            out[id] = Agency(id: id, kind: kind!, names: names)
        }
        guard !out.isEmpty else { throw reader.fail(root, "no agencies listed; remove the file to accept any agency name") }
        return out
    }
}
