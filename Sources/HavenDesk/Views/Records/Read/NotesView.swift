import HavenAPI

/// A record's notes, the newest first, one page at a time: havend answers a page oldest
/// first, and the link below it asks for the notes before the page's first.
public enum NotesView {
    public static func render(_ r: ReadRecordResponse, purpose: ReadPurpose, labels: ReadLabels) -> HTML {
        let w = labels.words
        enum Item { case note(ReadRecordResponse.Note), withheld(ReadRecordResponse.WithheldNote) }
        let items: [(UInt64, Item)] = r.notes.map { ($0.index, .note($0)) } + r.withheldNotes.map { ($0.index, .withheld($0)) }
        let newestFirst = items.sorted { $0.0 > $1.0 }
        let list = HTML.join(newestFirst.map { index, item in
            switch item {
            case .note(let n):
                return HTML("""
                <li class="note" data-note="\(index)"><p class="note-meta">#\(index) · \(labels.noteClass(n.noteClass)) · \(n.author) · \
                \(DateText.moment(n.createdAt))</p><p class="note-text">\(n.text)</p></li>
                """)
            case .withheld(let n):
                return HTML("<li class=\"note-withheld\" data-note=\"\(index)\">#\(index) · \(w("Not shown to your role")) <small class=\"reason\">(\(n.reason))</small></li>")
            }
        }, separator: "\n")
        var earlier = HTML.empty
        if let first = items.map(\.0).min(), first > 1 {
            earlier = "<p><a id=\"notes-earlier\" href=\"/records/\(r.id)?purpose=\(purpose.rawValue)&amp;notes_before=\(first)\">\(w("Earlier notes"))</a></p>"
        }
        let total: HTML = r.notesTotal.map { HTML("<p class=\"count\">\(w("{n} notes in all", ["n": String($0)]))</p>") } ?? .empty
        guard !items.isEmpty else {
            return "<section id=\"record-notes\"><h2>\(w("Notes"))</h2><p>\(w("No notes."))</p><ol id=\"notes\"></ol>\(earlier)</section>"
        }
        return """
        <section id="record-notes"><h2>\(w("Notes"))</h2>\(total)
        <ol id="notes" reversed>
        \(list)
        </ol>\(earlier)</section>
        """
    }
}
