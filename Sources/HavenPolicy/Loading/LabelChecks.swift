import Yams

/// Where a schema file gives its labels: each field's label, group and choice values, with
/// their nodes, so a missing translation is reported at its line.
struct SchemaLabelSites {
    struct Field {
        let name: String
        let label: LocalizedLabel
        let labelNode: Node
        let group: String
        let groupNode: Node
        /// The codes of `values:` (not `values_from`, whose names are in provinces.yaml).
        let values: [(String, Node)]
    }

    let reader: YAMLReader
    var typeLabel: (LocalizedLabel, Node)?
    var fields = [Field]()
}

/// The labels of the schemas checked against labels.yaml, each finding a warning with its
/// line. A label for a value or group no schema has is unused, not refused: sites trim the
/// shipped schemas and keep the shipped labels.yaml, and a typo in a code still shows as
/// the real code's missing label. A value, group or field label without Lao and Vietnamese
/// is shown in English. A policy from before labels (no labels.yaml, no translated field)
/// gets one warning per file rather than one per label.
enum LabelChecks {
    static func check(_ schemas: [SchemaLabelSites], labels: LabelsFileParser.Parsed?, labelsFile: String) throws(PolicyError) -> [PolicyError] {
        var warnings = [PolicyError]()
        var codes = Set<String>(), groups = Set<String>()
        for schema in schemas {
            for f in schema.fields {
                codes.formUnion(f.values.map(\.0))
                if !f.group.isEmpty { groups.insert(f.group) }
            }
        }
        if let labels {
            for (code, node) in labels.valueNodes.sorted(by: { $0.key < $1.key }) where !codes.contains(code) {
                warnings.append(PolicyError(file: labelsFile, line: node.mark?.line ?? 1,
                                            reason: "a label for value '\(code)', which no choice field in schema/ has (unused)"))
            }
            for (name, node) in labels.groupNodes.sorted(by: { $0.key < $1.key }) where !groups.contains(name) {
                warnings.append(PolicyError(file: labelsFile, line: node.mark?.line ?? 1,
                                            reason: "a label for group '\(name)', which no field in schema/ has (unused; the group's English name, as the schemas write it)"))
            }
        }
        for schema in schemas {
            let reader = schema.reader
            if let (label, node) = schema.typeLabel, let w = reader.untranslated(node, label, what: "the record type's label") {
                warnings.append(w)
            }
            if labels == nil && schema.fields.allSatisfy({ $0.label.lo == nil && $0.label.vi == nil }) {
                warnings.append(PolicyError(file: reader.file, line: 1,
                                            reason: "no field label has Lao or Vietnamese (label: {en: …, lo: …, vi: …}): reports show them in English"))
            } else {
                for f in schema.fields {
                    if let w = reader.untranslated(f.labelNode, f.label, what: "the label of field '\(f.name)'") { warnings.append(w) }
                }
            }
            guard let labels else { continue }
            var seenGroups = Set<String>()
            for f in schema.fields {
                if !f.group.isEmpty, seenGroups.insert(f.group).inserted, labels.labels.groups[f.group] == nil {
                    warnings.append(reader.fail(f.groupNode, "group '\(f.group)' has no lo, vi label in \(labelsFile) (shown in English)"))
                }
                for (code, node) in f.values where labels.labels.values[code] == nil {
                    warnings.append(reader.fail(node, "value '\(code)' of field '\(f.name)' has no en, lo, vi label in \(labelsFile) (shown as '\(LocalizedLabel(code: code).en)')"))
                }
            }
        }
        if let labels {
            for (code, label) in labels.labels.values.sorted(by: { $0.key < $1.key }) where !label.isComplete {
                let line = labels.valueNodes[code]?.mark?.line ?? 1
                let missing = [label.lo == nil ? "lo" : nil, label.vi == nil ? "vi" : nil].compactMap { $0 }
                warnings.append(PolicyError(file: labelsFile, line: line,
                                            reason: "value '\(code)' has no \(missing.joined(separator: ", ")) label (shown in English)"))
            }
            for (name, label) in labels.labels.groups.sorted(by: { $0.key < $1.key }) where !label.isComplete {
                let line = labels.groupNodes[name]?.mark?.line ?? 1
                let missing = [label.lo == nil ? "lo" : nil, label.vi == nil ? "vi" : nil].compactMap { $0 }
                warnings.append(PolicyError(file: labelsFile, line: line,
                                            reason: "group '\(name)' has no \(missing.joined(separator: ", ")) label (shown in English)"))
            }
        } else if !codes.isEmpty {
            warnings.append(PolicyError(file: labelsFile, line: 1,
                                        reason: "absent: choice values and groups are shown in English, their codes made readable"))
        }
        return warnings
    }
}
