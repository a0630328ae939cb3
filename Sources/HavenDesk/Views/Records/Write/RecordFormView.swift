import HavenPolicy

/// The schema → form builder: a record type's fields as the intake form's groups, one
/// `<fieldset>` per group with the group's name in the person's language, the fields in the
/// schema's order. Used by the new-record and edit pages alike.
public enum RecordFormView {
    /// The fieldsets of `fields` (already filtered to what the person may fill in), with
    /// `values` shown as typed and `errors` beside their fields. `markRequired` is false on
    /// an edit, where a required field is already recorded.
    public static func fieldsets(_ fields: [FieldSpec], values: [String: String], errors: [String: String],
                                 markRequired: Bool, labels: SchemaLabels, words: Words) -> HTML {
        var groups = [String]()
        var byGroup = [String: [FieldSpec]]()
        for field in fields {
            if byGroup[field.group] == nil { groups.append(field.group) }
            byGroup[field.group, default: []].append(field)
        }
        let sets = groups.map { group -> HTML in
            let inputs = (byGroup[group] ?? []).map { field in
                FieldInput.render(field, value: values[field.name.rawValue], error: errors[field.name.rawValue],
                                  required: markRequired && field.required, labels: labels, words: words)
            }
            return """
            <fieldset class="group"><legend>\(labels.group(group))</legend>
            \(HTML.join(inputs, separator: "\n"))
            </fieldset>
            """
        }
        return HTML.join(sets, separator: "\n")
    }

    /// The line that explains the required mark.
    public static func requiredNote(_ words: Words) -> HTML {
        "<p class=\"form-note\"><span class=\"required-mark\" aria-hidden=\"true\">*</span> \(words("Fields marked * are required."))</p>"
    }

    /// A short summary at the top of a form that failed its checks, so a screen reader hears
    /// it first and a keyboard user knows to look below.
    public static func errorSummary(_ errors: [String: String], words: Words) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let text = errors.count == 1 ? words("One field needs correcting; it is marked below.")
            : words("{count} fields need correcting; they are marked below.", ["count": String(errors.count)])
        return "<div class=\"form-errors\" role=\"alert\"><p>\(text)</p></div>"
    }
}
