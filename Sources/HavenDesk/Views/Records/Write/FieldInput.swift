import HavenPolicy

/// One field of a record form as its schema defines it: a select of the choice values as
/// words, a date input, a number input within the field's bounds, or text limited to the
/// field's length (a text area for long texts). Named `field.<NAME>` so that the form's
/// names never collide with the desk's own (`_csrf`, `type`, `confirm`).
public enum FieldInput {
    /// Texts longer than this get a text area; shorter ones a line.
    static let longText = 200

    /// The form name of a schema field.
    public static func name(_ field: FieldSpec) -> String {
        "field.\(field.name.rawValue)"
    }

    /// The field with its label, required mark and check error; `value` is shown as given
    /// (escaped), so a value that failed its check comes back for the person to correct.
    public static func render(_ field: FieldSpec, value: String?, error: String?, required: Bool,
                              labels: SchemaLabels, words: Words) -> HTML {
        let id = "f-\(field.name.rawValue)"
        let errorID = "e-\(field.name.rawValue)"
        // Chrome keeps what was typed for the next person at a shared PC unless told not to.
        var attributes: HTML = "id=\"\(id)\" name=\"\(name(field))\" autocomplete=\"off\""
        if required { attributes = attributes + " required aria-required=\"true\"" }
        if error != nil { attributes = attributes + HTML(" aria-invalid=\"true\" aria-describedby=\"\(errorID)\"") }
        // The star is for the eye; a screen reader hears "required" from the input itself.
        let mark: HTML = required ? " <span class=\"required-mark\" aria-hidden=\"true\">*</span>" : .empty
        let message: HTML = error.map { HTML("<p class=\"field-error\" id=\"\(errorID)\" role=\"alert\">\($0)</p>") } ?? .empty
        return """
        <div class="field\(error == nil ? "" : " has-error")" data-field="\(field.name.rawValue)">\
        <label for="\(id)">\(labels.field(field))\(mark)</label>
        \(control(field, value: value ?? "", attributes: attributes, required: required, labels: labels, words: words))\(message)</div>
        """
    }

    static func control(_ field: FieldSpec, value: String, attributes: HTML, required: Bool, labels: SchemaLabels,
                        words: Words) -> HTML {
        switch field.kind {
        case .text(let maxLength) where maxLength > longText:
            return "<textarea \(attributes) spellcheck=\"false\" maxlength=\"\(maxLength)\" rows=\"\(maxLength > 2000 ? 8 : 4)\">\(value)</textarea>"
        case .text(let maxLength):
            return "<input type=\"text\" \(attributes) spellcheck=\"false\" maxlength=\"\(maxLength)\" value=\"\(value)\">"
        case .date:
            return "<input type=\"date\" min=\"1900-01-01\" max=\"2100-12-31\" \(attributes) value=\"\(value)\">"
        case .integer(let min, let max):
            return "<input type=\"number\" inputmode=\"numeric\" step=\"1\" min=\"\(min)\" max=\"\(max)\" \(attributes) value=\"\(value)\">"
        case .choice(let codes):
            let blank: HTML = "<option value=\"\"\(value.isEmpty ? HTML(" selected") : .empty)>\(required ? words("Choose…") : words("Not recorded"))</option>"
            // A stored value the schema no longer lists stays selectable as its code, so an
            // edit never drops it silently.
            let known = codes.contains(value) || value.isEmpty ? codes : codes + [value]
            let options = known.map { code -> HTML in
                "<option value=\"\(code)\"\(code == value ? HTML(" selected") : .empty)>\(labels.value(code))</option>"
            }
            return "<select \(attributes)>\(blank)\(HTML.join(options))</select>"
        }
    }
}
