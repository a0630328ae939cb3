import HavenCore
import Yams

/// Parses `policy/referrals.yaml` (format in policy/README.md).
struct ReferralsFileParser {
    let reader: YAMLReader

    func parse(_ text: String) throws(PolicyError) -> [String: ReferralService] {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "referrals.yaml", allowed: ["services"], required: ["services"])
        var out = [String: ReferralService]()
        for (name, keyNode, value) in try reader.anyMapping(top[0].value, what: "services") {
            guard (try? FieldName(name)) != nil else {
                throw reader.fail(keyNode, "service name '\(name)' must use a-z, 0-9 and '_' only")
            }
            let what = "service '\(name)'"
            var consent: ConsentFlag?
            var read = Set<FieldClass>(), write = Set<FieldClass>()
            var readNode = value, writeNode = value
            var offeredBy = Set<Agency.Kind>()
            for (k, _, v) in try reader.mapping(value, what: what, allowed: ["consent", "read", "write", "offered_by"],
                                                 required: ["consent", "read", "write", "offered_by"]) {
                switch k {
                case "consent":
                    // A referral shares a survivor's record with another agency: it always needs
                    // her consent, so `none` is not a word here.
                    consent = try reader.word(v, as: ConsentFlag.self, what: "consent flag")
                case "read":
                    read = try reader.fieldClasses(v, what: "\(what) read")
                    readNode = v
                case "write":
                    write = try reader.fieldClasses(v, what: "\(what) write")
                    writeNode = v
                default:
                    for (kind, node) in try reader.list(v, what: "\(what) offered_by") {
                        guard let k = Agency.Kind(rawValue: kind) else {
                            throw reader.fail(node, "unknown agency type '\(kind)' (expected one of: \(Agency.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        offeredBy.insert(k)
                    }
                    guard !offeredBy.isEmpty else { throw reader.fail(v, "\(what) is offered by no agency type") }
                }
            }
            guard !read.isEmpty else { throw reader.fail(readNode, "\(what) lets the receiving agency read nothing") }
            if let extra = write.subtracting(read).sorted(by: { $0.rawValue < $1.rawValue }).first {
                throw reader.fail(writeNode, "\(what) writes class \(extra.rawValue), which it does not read")
            }
            out[name] = ReferralService(name: name, consent: consent!, read: read, write: write, offeredBy: offeredBy)
        }
        guard !out.isEmpty else { throw reader.fail(root, "no services listed; remove the file to allow no referral") }
        return out
    }
}
