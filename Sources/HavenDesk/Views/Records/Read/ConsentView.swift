import HavenAPI

/// A record's consent: each flag's state now, and the history, the latest first.
public enum ConsentView {
    public static func render(_ consent: ConsentResponse?, labels: ReadLabels) -> HTML {
        let w = labels.words
        guard let consent else {
            return "<section id=\"consent\"><h2>\(w("Consent"))</h2><p>\(w("Consent is not shown to your role."))</p></section>"
        }
        let flags = HTML.join(consent.flags.map { f in
            HTML("<tr data-flag=\"\(f.flag)\"><th scope=\"row\">\(labels.consentFlag(f.flag))</th><td class=\"state-\(f.state)\">\(labels.state(f.state))</td><td>\(f.expiresAt.map(DateText.moment) ?? "—")</td></tr>")
        }, separator: "\n")
        let history = HTML.join(consent.history.reversed().map { e in
            let until: HTML = e.expiresAt.map { HTML(" · \(w("until {date}", ["date": DateText.moment($0)]))") } ?? .empty
            let evidence: HTML = e.evidence.map { HTML(" · <code class=\"evidence\">\($0)</code>") } ?? .empty
            return HTML("""
            <li data-event="\(e.index)">\(DateText.moment(e.recordedAt)): \(labels.consentFlag(e.flag)) \(labels.state(e.kind)) · \(e.recordedBy)\(until)\(evidence)</li>
            """)
        }, separator: "\n")
        return """
        <section id="consent"><h2>\(w("Consent"))</h2>
        <table class="consent-flags">\(ReadTable.head([w("Consent for"), w("State"), w("Until")]))
        <tbody>
        \(flags)
        </tbody></table>
        <h3>\(w("History"))</h3>
        \(consent.history.isEmpty ? HTML("<p>\(w("No consent recorded yet."))</p>") : HTML("<ol class=\"consent-history\">\n\(history)\n</ol>"))
        \(consent.historyTotal > UInt64(consent.history.count) ? HTML("<p class=\"count\">\(w("{n} consent events in all; the latest are shown.", ["n": String(consent.historyTotal)]))</p>") : .empty)
        </section>
        """
    }
}
