import HavenAPI

/// A record on paper for the case file: the same fields and labels as its page, the notes
/// of the page read, and who printed it when (a paper copy is a disclosure too).
public enum RecordPrintView {
    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Record") }

    public static func render(_ r: ReadRecordResponse, printedBy: String, printedAt: String, labels: ReadLabels) -> HTML {
        let w = labels.words
        let type = try? labels.policy.recordType(named: r.type)
        let notes = HTML.join(r.notes.sorted { $0.index > $1.index }.map { n in
            HTML("<li class=\"note\"><p class=\"note-meta\">#\(n.index) · \(labels.noteClass(n.noteClass)) · \(n.author) · \(DateText.moment(n.createdAt))</p><p class=\"note-text\">\(n.text)</p></li>")
        }, separator: "\n")
        return """
        <article id="print-record" lang="\(labels.language)" data-record="\(r.id)">
        <header><p class="record-meta">\(labels.recordType(r.type)) · \(labels.agency(r.agency))\(r.caseNumber.map { HTML(" · \(w("Case {number}", ["number": $0]))") } ?? .empty)</p>
        <p class="record-id">\(w("Record {id}", ["id": r.id]))</p>
        <p class="confidential">\(w("Confidential: keep in the locked case file."))</p></header>
        \(RecordFieldsView.render(r, type: type, labels: labels))
        \(r.notes.isEmpty ? HTML.empty : HTML("<section class=\"notes\"><h2>\(w("Notes"))</h2><ol>\n\(notes)\n</ol></section>"))
        <footer><p class="printed">\(w("Printed on {date} by {user}", ["date": DateText.moment(printedAt), "user": printedBy]))</p></footer>
        </article>
        """
    }
}
