import Yams

/// Parses `policy/labels.yaml` (format in policy/README.md, "Labels"): the Lao and
/// Vietnamese labels of intake-form groups, by their English name, and of choice values,
/// by code. Where each entry is, for the checks against the schemas (LabelChecks).
struct LabelsFileParser {
    let reader: YAMLReader

    struct Parsed {
        var labels = PolicyLabels()
        var groupNodes = [String: Node]()
        var valueNodes = [String: Node]()
    }

    func parse(_ text: String) throws(PolicyError) -> Parsed {
        let root = try reader.parse(text)
        var out = Parsed()
        for (key, _, value) in try reader.mapping(root, what: "labels.yaml", allowed: ["groups", "values"]) {
            for (name, keyNode, entry) in try reader.anyMapping(value, what: key) {
                if key == "groups" {
                    out.labels.groups[name] = try reader.label(entry, what: "the label of group '\(name)'", english: name)
                    out.groupNodes[name] = keyNode
                } else {
                    out.labels.values[name] = try reader.label(entry, what: "the label of value '\(name)'")
                    out.valueNodes[name] = keyNode
                }
            }
        }
        return out
    }
}
