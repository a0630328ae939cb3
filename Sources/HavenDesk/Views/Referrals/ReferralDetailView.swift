import HavenAPI

/// One referral: what it is, its steps with their words (as far as havend shows them to the
/// person), and the forms of the steps the person's side may take now.
public enum ReferralDetailView {
    /// `refusal`: havend's answer to a step just refused, shown above the forms; `kept`: the
    /// words the person typed into the refused form, kept in it.
    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Referral") }

    public static func render(_ detail: ReferralDetail, viewer: ReferralViewer, labels: ReferralLabels, csrfField: HTML,
                              refusal: HTML = .empty, kept: ReferralStepForms.Kept = .init()) -> HTML {
        let w = labels.words
        let r = detail.referral
        let record: HTML = r.record.map { id -> HTML in
            "<dt>\(w("Record"))</dt><dd><a id=\"referral-record\" href=\"/records/\(id)\">\(id)</a></dd>"
        } ?? .empty
        let cases = [r.caseNumber, r.fromCaseNumber].compactMap { $0 }
        let caseRow: HTML = cases.isEmpty ? .empty : "<dt>\(w("Case number"))</dt><dd>\(cases.joined(separator: ", "))</dd>"
        let waiting: HTML = r.record == nil && detail.steps.isEmpty
            ? "<p class=\"hint\">\(w("The record and the referral's words are shown once your agency accepts it."))</p>" : .empty
        return """
        \(refusal)<article id="referral" data-referral="\(r.ref)">
        <dl class="referral-facts"><dt>\(w("Referral"))</dt><dd><code>\(r.ref)</code></dd>\
        <dt>\(w("Service"))</dt><dd>\(labels.service(r.service))</dd>\
        <dt>\(w("From"))</dt><dd>\(labels.agency(r.from))</dd><dt>\(w("To"))</dt><dd>\(labels.agency(r.to))</dd>\
        <dt>\(w("State"))</dt><dd class="state" data-state="\(r.status)">\(labels.status(r.status))</dd>\
        <dt>\(w("Sent"))</dt><dd>\(ReferralLabels.time(r.createdAt))\(r.createdBy.map { HTML(" · \($0)") } ?? .empty)</dd>\
        <dt>\(w("Last change"))</dt><dd>\(ReferralLabels.time(r.updatedAt))</dd>\
        \(record)\(caseRow)\
        \(r.assignee.map { HTML("<dt>\(w("Worked by"))</dt><dd id=\"referral-assignee\">\($0)</dd>") } ?? .empty)</dl>
        \(waiting)\(steps(detail.steps, labels: labels))
        \(ReferralStepForms.render(r, viewer: viewer, words: w, csrfField: csrfField, kept: kept))
        </article>
        """
    }

    static func steps(_ steps: [ReferralDetail.Step], labels: ReferralLabels) -> HTML {
        guard !steps.isEmpty else { return .empty }
        let w = labels.words
        let items = steps.map { s -> HTML in
            let who: HTML = s.assignee.map { HTML(" <span class=\"assignee\">(\($0))</span>") } ?? .empty
            let text: HTML = s.text.map { HTML("<p class=\"step-words\">\($0)</p>") } ?? .empty
            let note: HTML = s.note.map { HTML("<div class=\"step-note\"><h4>\(w("Note for the receiving agency"))</h4><p>\($0)</p></div>") } ?? .empty
            return """
            <li class="step" data-step="\(s.kind)"><span class="when">\(ReferralLabels.time(s.at))</span> \
            <strong>\(labels.step(s.kind))</strong>\(who) · <span class="by">\(s.by)</span>\(text)\(note)</li>
            """
        }
        return "<section id=\"referral-steps\"><h2>\(w("History"))</h2><ol id=\"steps\">\(HTML.join(items))</ol></section>"
    }
}

/// Who is looking at a referral, for the forms of the steps their side may take. havend
/// decides every step again; the page only leaves out the forms that could not succeed.
public struct ReferralViewer: Sendable {
    public let user: String
    public let agency: String
    /// Whether the person's role reaches all its agency's records (the agency's desk).
    public let reachesAgency: Bool

    public init(user: String, agency: String, reachesAgency: Bool) {
        self.user = user
        self.agency = agency
        self.reachesAgency = reachesAgency
    }
}
