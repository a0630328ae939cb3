import HavenPolicy

/// The new-record pages: the choice of a record type, then `form#new-record` built from
/// that type's schema with the fields the person's role may fill in at creation.
public enum NewRecordView {
    /// The record types the person may create, each a link to its form (the type's name is
    /// a policy word, never a survivor's, so it may stand in the URL).
    public static func typeChoice(_ types: [String], labels: SchemaLabels, words: Words) -> HTML {
        guard !types.isEmpty else {
            return "<p class=\"empty\">\(words("Your role may not create records."))</p>"
        }
        let items = types.map { t -> HTML in
            "<li><a class=\"record-type\" id=\"new-\(t)\" href=\"/records/new?type=\(t)\">\(labels.recordType(t))</a></li>"
        }
        return """
        <p>\(words("Which kind of record?"))</p>
        <ul class="record-types">\(HTML.join(items, separator: "\n"))</ul>
        """
    }

    /// What the form shows besides the schema's fields.
    public struct State: Sendable {
        public var values: [String: String]
        public var errors: [String: String]
        /// The user name typed to assign the record to, when the role may assign.
        public var assign: String?
        public var duplicates: DuplicateFindings?
        /// The check before saving could not be made (havend refused the search): the person
        /// may wait and save again, or save without it.
        public var checkRefused: Bool
        /// havend's refusal, or a note from the desk, shown above the form.
        public var notice: HTML

        public init(values: [String: String] = [:], errors: [String: String] = [:], assign: String? = nil,
                    duplicates: DuplicateFindings? = nil, checkRefused: Bool = false, notice: HTML = .empty) {
            self.values = values
            self.errors = errors
            self.assign = assign
            self.duplicates = duplicates
            self.checkRefused = checkRefused
            self.notice = notice
        }
    }

    /// `form#new-record`. `canAssign` adds the optional assignment at creation.
    public static func form(type: RecordType, fields: [FieldSpec], state: State, canAssign: Bool, csrfField: HTML,
                            labels: SchemaLabels, words: Words) -> HTML {
        let assign: HTML = canAssign ? """
            <fieldset class="group"><legend>\(words("Assignment"))</legend>
            <div class="field" data-field="assign"><label for="f-assign">\(words("Assign to (a user name; optional)"))</label>
            <input type="text" id="f-assign" name="assign" maxlength="64" autocomplete="off" value="\(state.assign ?? "")"></div>
            </fieldset>
            """ : .empty
        let duplicates = state.duplicates.map { PossibleDuplicatesView.render($0, labels: labels, words: words) }
            ?? (state.checkRefused ? PossibleDuplicatesView.unchecked(words: words) : .empty)
        let duplicatesNote: HTML = state.duplicates == nil ? .empty
            : "<div class=\"form-errors\" role=\"alert\"><p>\(words("Possible duplicates were found. They are listed below the form; nothing has been saved yet."))</p></div>"
        // The save button comes before the duplicates section, so Enter in a field checks
        // again instead of saving anyway.
        return """
        \(state.notice)\(RecordFormView.errorSummary(state.errors, words: words))\(duplicatesNote)
        <form id="new-record" class="record-form" method="post" action="/records/new" autocomplete="off">\(csrfField)
        <input type="hidden" name="type" value="\(type.name.rawValue)">
        \(RecordFormView.requiredNote(words))
        \(RecordFormView.fieldsets(fields, values: state.values, errors: state.errors, markRequired: true, labels: labels, words: words))
        \(assign)
        <div class="actions"><button type="submit" id="save" name="confirm" value="check">\(words("Save"))</button>
        <a class="cancel" href="/records">\(words("Cancel"))</a></div>
        \(duplicates)
        </form>
        """
    }
}
