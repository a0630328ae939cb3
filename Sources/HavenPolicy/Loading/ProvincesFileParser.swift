import HavenCore
import Yams

/// Parses `policy/provinces.yaml` (format in policy/README.md).
struct ProvincesFileParser {
    let reader: YAMLReader

    func parse(_ text: String) throws(PolicyError) -> [Province] {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "provinces.yaml", allowed: ["provinces"], required: ["provinces"])
        var out = [Province]()
        for (code, keyNode, value) in try reader.anyMapping(top[0].value, what: "provinces") {
            guard (try? AgencyName(code)) != nil, code != "all", code != "not_recorded" else {
                throw reader.fail(keyNode, "province code '\(code)' must use a-z, 0-9, '.', '_' and '-' only"
                                  + " (and not be 'all' or 'not_recorded')")
            }
            let what = "province '\(code)'"
            var country = ""
            var names = [String: String]()
            for (k, _, v) in try reader.mapping(value, what: what, allowed: ["country"] + AgenciesFileParser.nameKeys,
                                                 required: ["country", "name_en"]) {
                let s = try reader.string(v, what: "\(what) \(k)")
                guard !s.isEmpty else { throw reader.fail(v, "\(what) \(k) is empty") }
                if k == "country" {
                    guard s.utf8.count == 2, s.utf8.allSatisfy({ (0x61...0x7A).contains($0) }) else {
                        throw reader.fail(v, "\(what) country must be a two-letter code, lower-case (la, vn)")
                    }
                    country = s
                } else {
                    names[k] = s
                }
            }
            out.append(Province(code: code, country: country, names: names))
        }
        guard !out.isEmpty else { throw reader.fail(root, "no provinces listed") }
        return out
    }
}
