import HavenAPI
import HavenCore
import HavenPolicy

/// A record's page: what havend released of it, in the schema's groups, then its notes
/// (newest first, a page at a time), consent, referrals and the links to what the person's
/// role may do with it. havend still decides each of those when it is done.
public enum RecordView {
    /// Everything the page shows, as the handler gathered it from havend.
    public struct Model: Sendable {
        public let record: ReadRecordResponse
        public let purpose: ReadPurpose
        /// nil when the role may not read consent (then the section says so).
        public let consent: ConsentResponse?
        /// The agency's referrals of this record; nil when they could not be listed.
        public let referrals: [ReferralSummary]?
        /// The actions the person's role has (`record.update`, `note.add` …), for the links.
        public let actions: Set<String>

        public init(record: ReadRecordResponse, purpose: ReadPurpose, consent: ConsentResponse?, referrals: [ReferralSummary]?,
                    actions: Set<String>) {
            self.record = record
            self.purpose = purpose
            self.consent = consent
            self.referrals = referrals
            self.actions = actions
        }
    }

    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Record") }

    public static func render(_ model: Model, labels: ReadLabels) -> HTML {
        let r = model.record
        let w = labels.words
        let type = try? labels.policy.recordType(named: r.type)
        let glass: HTML = r.breakGlass
            ? "<p class=\"break-glass-notice\" role=\"alert\">\(w("Emergency access: this reading is flagged for the auditors."))</p>"
            : .empty
        let caseNumber: HTML = r.caseNumber.map { HTML(" · \(w("Case {number}", ["number": $0]))") } ?? .empty
        return """
        <article id="record" data-record="\(r.id)">
        \(glass)<p class="record-meta">\(labels.recordType(r.type)) · \(labels.agency(r.agency))\(caseNumber) · \(w("version {n}", ["n": String(r.version)]))</p>
        \(r.assignees.map { HTML("<p class=\"assignees\">\(w("Assigned to")): \($0.isEmpty ? "—" : $0.joined(separator: ", "))</p>") } ?? .empty)
        \(actions(model, w: w))
        \(purposeForm(model, w: w))
        \(RecordFieldsView.render(r, type: type, labels: labels))
        \(NotesView.render(r, purpose: model.purpose, labels: labels))
        \(ConsentView.render(model.consent, labels: labels))
        \(referrals(model.referrals, labels: labels))
        </article>
        """
    }

    /// The links to the other pages, each only where the role has the action.
    static func actions(_ model: Model, w: Words) -> HTML {
        let id = model.record.id
        let links: [(String, String, String, String)] = [
            ("record.update", "action-edit", "/records/\(id)/edit", w("Edit")),
            ("note.add", "action-note", "/records/\(id)/note", w("Add a note")),
            ("record.assign", "action-assign", "/records/\(id)/assign", w("Assign")),
            ("consent.record", "action-consent", "/records/\(id)/consent", w("Consent")),
            ("referral.create", "action-refer", "/records/\(id)/refer", w("Refer")),
            ("record.erase", "action-erase", "/records/\(id)/erase", w("Erase")),
            ("", "action-print", "/records/\(id)/print", w("Print")),
        ]
        let shown = links.filter { $0.0.isEmpty || model.actions.contains($0.0) }
        return "<nav class=\"actions\" aria-label=\"\(w("What you can do"))\">" + HTML.join(shown.map { link in
            HTML("<a id=\"\(link.1)\" href=\"\(link.2)\">\(link.3)</a>")
        }, separator: " ") + "</nav>"
    }

    /// The purpose of this reading, and a way to open the record again for another one.
    static func purposeForm(_ model: Model, w: Words) -> HTML {
        purposeForm(id: model.record.id, chosen: model.purpose, words: w)
    }

    /// The choice of purpose: on the record's page (`chosen`), or before a first reading by a
    /// role that must say why each time (none chosen yet, so none is preselected).
    public static func purposeForm(id: String, chosen: ReadPurpose?, words w: Words) -> HTML {
        let first: HTML = chosen == nil ? HTML("<option value=\"\" selected disabled>\(w("Choose…"))</option>") : .empty
        let options = HTML.join(ReadPurpose.allCases.map { p in
            HTML("<option value=\"\(p.rawValue)\"\(p == chosen ? HTML(" selected") : .empty)>\(p.label(w))</option>")
        })
        return """
        <form id="purpose" method="get" action="/records/\(id)" class="purpose" autocomplete="off">
        <label>\(w("Why you are reading this record (kept in the audit log)")) <select name="purpose" required>\(first)\(options)</select></label>
        <button type="submit" id="purpose-submit">\(chosen == nil ? w("Read the record") : w("Read again for this purpose"))</button></form>
        """
    }

    static func referrals(_ referrals: [ReferralSummary]?, labels: ReadLabels) -> HTML {
        let w = labels.words
        guard let referrals else {
            return "<section id=\"record-referrals\"><h2>\(w("Referrals"))</h2><p>\(w("Referrals could not be listed for your role."))</p></section>"
        }
        guard !referrals.isEmpty else {
            return "<section id=\"record-referrals\"><h2>\(w("Referrals"))</h2><p>\(w("No referrals."))</p></section>"
        }
        let rows = HTML.join(referrals.map { r in
            HTML("""
            <li data-referral="\(r.ref)"><a href="/referrals/\(r.ref)">\(labels.service(r.service))</a>: \
            \(labels.agency(r.from)) → \(labels.agency(r.to)), \(labels.state(r.status)) (\(DateText.moment(r.updatedAt)))</li>
            """)
        }, separator: "\n")
        return "<section id=\"record-referrals\"><h2>\(w("Referrals"))</h2><ul>\n\(rows)\n</ul></section>"
    }

    /// The form for an emergency reading, shown with a refusal the role's break-glass may override.
    public static func breakGlassForm(id: String, purpose: ReadPurpose, csrfField: HTML, error: String?, words w: Words) -> HTML {
        """
        <form id="break-glass" method="post" action="/records/\(id)/break-glass" autocomplete="off">\(csrfField)
        <input type="hidden" name="purpose" value="\(purpose.rawValue)">
        <p>\(w("In an emergency (the survivor is in danger now) you may read her name and contact details. This is flagged for the auditors, who will ask you about it."))</p>
        <label for="break-glass-reason">\(w("What is the emergency? (at least 20 letters)"))</label>
        <textarea id="break-glass-reason" name="reason" autocomplete="off" required minlength="20" maxlength="500"></textarea>
        \(error.map { HTML("<p class=\"field-error\">\($0)</p>") } ?? .empty)
        <button type="submit" id="break-glass-submit">\(w("Read in an emergency"))</button></form>
        """
    }
}
