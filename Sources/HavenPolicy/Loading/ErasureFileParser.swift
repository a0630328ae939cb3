import HavenCore
import Yams

/// Parses `policy/erasure.yaml` (format in policy/README.md): the reasons a record may be
/// erased for, each a code with a label and whether it takes a reference.
struct ErasureFileParser {
    let reader: YAMLReader

    func parse(_ text: String) throws(PolicyError) -> ErasureReasons {
        let root = try reader.parse(text)
        let top = try reader.mapping(root, what: "erasure.yaml", allowed: ["reasons"], required: ["reasons"])
        var out = [ErasureReasons.Reason]()
        for (code, keyNode, value) in try reader.anyMapping(top[0].value, what: "reasons") {
            // A code is what the audit log keeps: a word, never room for a sentence.
            guard (try? FieldName(code)) != nil, code.utf8.count <= 40 else {
                throw reader.fail(keyNode, "reason code '\(code)' must use a-z, 0-9 and '_' only (at most 40)")
            }
            let what = "reason '\(code)'"
            var label = ""
            var reference = ErasureReasons.ReferenceRule.optional
            for (k, _, v) in try reader.mapping(value, what: what, allowed: ["label", "reference"], required: ["label"]) {
                switch k {
                case "label":
                    label = try reader.string(v, what: "\(what) label")
                    guard !label.trimmingWhitespace().isEmpty else { throw reader.fail(v, "\(what) has an empty label") }
                default:
                    reference = try reader.word(v, as: ErasureReasons.ReferenceRule.self, what: "\(what) reference")
                }
            }
            out.append(.init(code: code, label: label, reference: reference))
        }
        guard !out.isEmpty else { throw reader.fail(root, "no reasons listed; remove the file to use the standard four") }
        return ErasureReasons(out)
    }
}
