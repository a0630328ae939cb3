import HavenCore

/// `form#note`: a case note appended to a record (never edited or removed afterwards), in
/// one of the classes the person's role may write.
public enum NoteFormView {
    /// Longest note havend keeps.
    public static let maximumLength = HistoryLimits.noteCharacters

    public static func render(recordID: String, classes: [String], text: String, chosen: String?, error: String?,
                              notice: HTML, csrfField: HTML, words: Words) -> HTML {
        guard !classes.isEmpty else {
            return (notice == .empty ? "<p class=\"empty\">\(words("Your role may not add notes."))</p>" : notice) + back(recordID, words)
        }
        let options = classes.map { c -> HTML in
            "<option value=\"\(c)\"\(c == chosen ? HTML(" selected") : .empty)>\(ClassWords.noteClass(c, words))</option>"
        }
        let message: HTML = error.map { HTML("<p class=\"field-error\" id=\"e-text\" role=\"alert\">\($0)</p>") } ?? .empty
        let invalid: HTML = error == nil ? .empty : " aria-invalid=\"true\" aria-describedby=\"e-text\""
        return """
        \(notice)<form id="note" method="post" action="/records/\(recordID)/note" autocomplete="off">\(csrfField)
        <div class="field" data-field="class"><label for="f-class">\(words("Kind of note"))</label>
        <select id="f-class" name="class" required aria-required="true">\(HTML.join(options))</select></div>
        <div class="field\(error == nil ? "" : " has-error")" data-field="text"><label for="f-text">\(words("Note"))\
         <span class="required-mark" aria-hidden="true">*</span></label>
        <textarea id="f-text" name="text" autocomplete="off" rows="10" maxlength="\(maximumLength)" required aria-required="true"\(invalid)>\(text)</textarea>\(message)</div>
        <p class="form-note">\(words("A note cannot be changed or removed once it is added."))</p>
        <div class="actions"><button type="submit" id="note-submit">\(words("Add the note"))</button>
        <a class="cancel" href="/records/\(recordID)">\(words("Cancel"))</a></div>
        </form>
        """
    }

    static func back(_ recordID: String, _ words: Words) -> HTML {
        "<p><a href=\"/records/\(recordID)\">\(words("Back to the record"))</a></p>"
    }
}
