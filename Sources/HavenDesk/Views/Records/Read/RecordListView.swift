import HavenAPI

/// "My records" and the agency's records: metadata only, the newest changed first. A
/// survivor's name is never in this page: each row has a button the desk's script uses to
/// ask for that one name (an audited read), shown in the row's empty `span.name`.
public enum RecordListView {
    /// Whose records the page lists.
    public enum Scope: String, Sendable {
        case mine, agency
    }

    /// One page of the list as the handler gathered it.
    public struct Page: Sendable {
        public let scope: Scope
        public let records: [RecordSummary]
        /// The cursor of the next page; nil on the last.
        public let next: String?
        /// Records havend listed by id only because they failed their integrity check.
        public let damaged: [String]
        /// Each listed record's latest referral state, by record id, where the agency may see it.
        public let referralStates: [String: String]
        /// Whether "mine" was picked out of the role's list by the desk (records assigned to the person).
        public let filteredHere: Bool

        public init(scope: Scope, records: [RecordSummary], next: String?, damaged: [String], referralStates: [String: String],
                    filteredHere: Bool) {
            self.scope = scope
            self.records = records
            self.next = next
            self.damaged = damaged
            self.referralStates = referralStates
            self.filteredHere = filteredHere
        }
    }

    public static func render(_ page: Page, labels: ReadLabels) -> HTML {
        let w = labels.words
        let scopes: HTML = """
        <p class="scopes"><a id="scope-mine" href="/records?scope=mine"\(page.scope == .mine ? HTML(" aria-current=\"page\"") : .empty)>\(w("My records"))</a>
        <a id="scope-agency" href="/records?scope=agency"\(page.scope == .agency ? HTML(" aria-current=\"page\"") : .empty)>\(w("All records I may list"))</a></p>
        """
        guard !page.records.isEmpty else {
            return scopes + "<p class=\"empty\">\(w("No records to show here."))</p>" + more(page, w: w)
        }
        let rows = HTML.join(page.records.map { row($0, state: page.referralStates[$0.id], labels: labels) }, separator: "\n")
        return scopes + """
        <table id="records">
        \(ReadTable.head([w("Name"), w("Record type"), w("Agency"), w("Last change"), w("Assigned to"), w("Referral"), w("Case number")]))
        <tbody>
        \(rows)
        </tbody>
        </table>
        """ + more(page, w: w)
    }

    static func row(_ r: RecordSummary, state: String?, labels: ReadLabels) -> HTML {
        let w = labels.words
        let erased = r.status == "erased"
        let name: HTML = erased
            ? "<span class=\"erased\">\(w("erased"))</span>"
            : """
            <button type="button" class="reveal-name" data-record="\(r.id)">\(w("Show name"))</button> \
            <span class="name" aria-live="polite" hidden></span>
            """
        let cells = ReadTable.cells([
            name + " <a class=\"record-link\" href=\"/records/\(r.id)\">\(w("Open"))</a>", HTML(text: labels.recordType(r.type)),
            HTML(text: labels.agency(r.agency)), HTML(text: DateText.moment(r.updatedAt)), HTML(text: ReadTable.names(r.assignees)),
            HTML(text: state.map(labels.state) ?? "—"), HTML(text: r.caseNumber ?? "—"),
        ])
        return "<tr data-record=\"\(r.id)\" data-type=\"\(r.type)\">\(cells)</tr>"
    }

    static func more(_ page: Page, w: Words) -> HTML {
        var out = HTML.empty
        if !page.damaged.isEmpty {
            out = out + "<p class=\"damaged\">\(w("Not listed because they failed their integrity check (an auditor can see why): {ids}", ["ids": page.damaged.joined(separator: ", ")]))</p>"
        }
        if page.filteredHere {
            out = out + "<p class=\"note\">\(w("Only records assigned to you are shown here."))</p>"
        }
        if let next = page.next {
            out = out + "<p><a id=\"next-page\" href=\"/records?scope=\(page.scope.rawValue)&amp;after=\(percentEncoded(next))\">\(w("Next page"))</a></p>"
        }
        return out
    }

    /// A cursor for a query string: only unreserved characters are left as they are.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) { out.append(c) } else { out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true) }
        }
        return out
    }
}
