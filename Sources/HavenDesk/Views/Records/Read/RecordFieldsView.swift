import HavenAPI
import HavenPolicy

/// A record's fields in the schema's groups, in schema order, with the policy's labels in the
/// person's language. A withheld field shows why, and never a value: its `dd` is built from
/// the reason alone, so no value can reach it even by mistake.
public enum RecordFieldsView {
    public static func render(_ record: ReadRecordResponse, type: RecordType?, labels: ReadLabels) -> HTML {
        let w = labels.words
        let withheld = Dictionary(record.withheld.map { ($0.field, $0.reason) }, uniquingKeysWith: { a, _ in a })
        // The schema gives the order; a field havend sent that this policy does not know
        // (a newer schema) is still shown, under its own name, after the others.
        let specs = type?.fields ?? []
        var groups: [(name: String, items: [HTML])] = []
        func add(_ group: String, _ item: HTML) {
            if let i = groups.firstIndex(where: { $0.name == group }) { groups[i].items.append(item) } else { groups.append((group, [item])) }
        }
        var known = Set<String>()
        for spec in specs {
            let name = spec.name.rawValue
            known.insert(name)
            let label = spec.labels.text(labels.language)
            if let reason = withheld[name] {
                add(spec.group, withheldItem(name, label: label, reason: reason, w: w))
            } else if let value = record.fields[name] {
                add(spec.group, valueItem(name, label: label, shown: value.map { labels.value(spec, $0) }, w: w))
            }
        }
        for name in record.fields.keys.sorted() where !known.contains(name) {
            add("", valueItem(name, label: name, shown: record.fields[name] ?? nil, w: w))
        }
        for name in withheld.keys.sorted() where !known.contains(name) {
            add("", withheldItem(name, label: name, reason: withheld[name] ?? "", w: w))
        }
        return HTML.join(groups.map { group in
            let title = group.name.isEmpty ? w("Other fields") : labels.group(group.name)
            return """
            <section class="group"><h2>\(title)</h2>
            <dl>
            \(HTML.join(group.items, separator: "\n"))
            </dl></section>
            """
        }, separator: "\n")
    }

    static func valueItem(_ name: String, label: String, shown: String?, w: Words) -> HTML {
        guard let shown else {
            return "<dt>\(label)</dt><dd data-field=\"\(name)\" class=\"empty\">\(w("not recorded"))</dd>"
        }
        return "<dt>\(label)</dt><dd data-field=\"\(name)\">\(shown)</dd>"
    }

    static func withheldItem(_ name: String, label: String, reason: String, w: Words) -> HTML {
        "<dt>\(label)</dt><dd data-field=\"\(name)\" class=\"withheld\">\(w("Not shown to your role")) <small class=\"reason\">(\(reason))</small></dd>"
    }
}
