import HavenPolicy

/// `form#edit-record`: the fields the person may both read and change, filled from the
/// record as havend released them, with the version they were read at so that a change
/// made meanwhile by someone else is noticed before anything is overwritten.
public enum EditRecordView {
    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Change the record") }

    public static func render(recordID: String, type: String, version: UInt64, fields: [FieldSpec], values: [String: String],
                              errors: [String: String], hiddenCount: Int, notice: HTML, csrfField: HTML,
                              labels: SchemaLabels, words: Words) -> HTML {
        let back: HTML = "<p><a href=\"/records/\(recordID)\">\(words("Back to the record"))</a></p>"
        guard !fields.isEmpty else {
            return notice + "<p class=\"empty\">\(words("There is nothing in this record that you may change."))</p>" + back
        }
        let hidden: HTML = hiddenCount == 0 ? .empty
            : "<p class=\"form-note\">\(words("Some fields you could change are not shown: your role may not read them now ({count}).", ["count": String(hiddenCount)]))</p>"
        return """
        \(notice)\(RecordFormView.errorSummary(errors, words: words))
        <form id="edit-record" class="record-form" method="post" action="/records/\(recordID)/edit" autocomplete="off">\(csrfField)
        <input type="hidden" name="version" value="\(version)"><input type="hidden" name="type" value="\(type)">
        <p class="form-note">\(words("Only the fields you change are saved."))</p>\(hidden)
        \(RecordFormView.fieldsets(fields, values: values, errors: errors, markRequired: true, labels: labels, words: words))
        <div class="actions"><button type="submit" id="save">\(words("Save the changes"))</button>
        <a class="cancel" href="/records/\(recordID)">\(words("Cancel"))</a></div>
        </form>
        """
    }
}
