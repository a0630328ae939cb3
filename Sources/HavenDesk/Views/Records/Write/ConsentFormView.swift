import HavenAPI
import HavenCore

/// The consent page: each flag's state now and the latest history, `form#consent-grant`
/// (multipart: the signed form is read by the desk only to compute its `sha256:` digest,
/// as `consent grant --evidence-file` does, and is never kept) and `form#consent-withdraw`.
public enum ConsentFormView {
    /// The page's parts. `consent` is nil when the role may not read consent (or havend refused).
    public struct State: Sendable {
        public var consent: ConsentResponse?
        public var mayRecord: Bool
        public var notice: HTML

        public init(consent: ConsentResponse?, mayRecord: Bool, notice: HTML = .empty) {
            self.consent = consent
            self.mayRecord = mayRecord
            self.notice = notice
        }
    }

    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Consent") }

    public static func render(recordID: String, state: State, csrfField: HTML, words: Words) -> HTML {
        let current = state.consent.map { stateTable($0, words: words) + history($0, words: words) } ?? .empty
        let forms: HTML = state.mayRecord
            ? grantForm(recordID, state.consent, csrfField, words) + withdrawForm(recordID, state.consent, csrfField, words)
            : "<p class=\"empty\">\(words("Your role may not record consent."))</p>"
        return """
        \(state.notice)<section id="consent" aria-labelledby="consent-now">
        <h2 id="consent-now">\(words("Consent now"))</h2>
        \(current)
        </section>
        \(forms)
        <p><a href="/records/\(recordID)">\(words("Back to the record"))</a></p>
        """
    }

    static func stateTable(_ consent: ConsentResponse, words: Words) -> HTML {
        let rows = consent.flags.map { f -> HTML in
            """
            <tr data-flag="\(f.flag)" data-state="\(f.state)"><th scope="row">\(ClassWords.consentFlag(f.flag, words))</th>\
            <td>\(ClassWords.consentState(f.state, words))</td><td>\(f.expiresAt.map(shownDate) ?? "—")</td></tr>
            """
        }
        return """
        <table id="consent-state"><thead><tr><th scope="col">\(words("Consent"))</th><th scope="col">\(words("State"))</th>\
        <th scope="col">\(words("Valid through"))</th></tr></thead>
        <tbody>\(HTML.join(rows, separator: "\n"))</tbody></table>
        """
    }

    static func history(_ consent: ConsentResponse, words: Words) -> HTML {
        guard !consent.history.isEmpty else { return "<p>\(words("No consent has been recorded yet."))</p>" }
        let rows = consent.history.reversed().map { e -> HTML in
            """
            <tr data-event="\(e.index)"><td>\(e.index)</td><td>\(shownTime(e.recordedAt))</td><td>\(ClassWords.consentFlag(e.flag, words))</td>\
            <td>\(ClassWords.consentChange(e.kind, words))</td><td>\(e.recordedBy)</td><td>\(e.expiresAt.map(shownDate) ?? "—")</td>\
            <td>\(evidence(e.evidence, words))</td></tr>
            """
        }
        return """
        <h3>\(words("History, the latest first"))</h3>
        <table id="consent-history"><thead><tr><th scope="col">#</th><th scope="col">\(words("When"))</th>\
        <th scope="col">\(words("Consent"))</th><th scope="col">\(words("Granted or withdrawn"))</th><th scope="col">\(words("Recorded by"))</th>\
        <th scope="col">\(words("Valid through"))</th><th scope="col">\(words("Signed form"))</th></tr></thead>
        <tbody>\(HTML.join(rows, separator: "\n"))</tbody></table>
        """
    }

    /// A digest as a short code a person can compare with the paper's; free text recorded
    /// before digests were required is never shown (it may name the survivor).
    static func evidence(_ stored: String?, _ words: Words) -> HTML {
        guard let stored else { return "—" }
        guard ConsentEvidence.isDigest(stored) else { return HTML(text: words("(withheld)")) }
        let hex = stored.dropFirst(ConsentEvidence.prefix.count)
        return "<code title=\"\(stored)\">\(String(hex.prefix(12)))…</code>"
    }

    static func grantForm(_ id: String, _ consent: ConsentResponse?, _ csrfField: HTML, _ words: Words) -> HTML {
        """
        <form id="consent-grant" method="post" action="/records/\(id)/consent" enctype="multipart/form-data" autocomplete="off">\(csrfField)
        <input type="hidden" name="action" value="grant">
        <fieldset class="group"><legend>\(words("Record consent the survivor gives"))</legend>
        \(flagBoxes("grant", consent, words))
        <div class="field" data-field="expires"><label for="grant-expires">\(words("Valid through this day (optional)"))</label>
        <input type="date" id="grant-expires" name="expires" autocomplete="off" min="1900-01-01" max="2100-12-31"></div>
        <div class="field" data-field="evidence"><label for="grant-evidence">\(words("The signed consent form (optional)"))</label>
        <input type="file" id="grant-evidence" name="evidence" aria-describedby="grant-evidence-note">
        <p class="form-note" id="grant-evidence-note">\(words("The file is read only to compute its fingerprint (sha256), which is recorded; the file itself is not kept."))</p></div>
        </fieldset>
        <div class="actions"><button type="submit" id="consent-grant-submit">\(words("Record the consent"))</button></div>
        </form>
        """
    }

    static func withdrawForm(_ id: String, _ consent: ConsentResponse?, _ csrfField: HTML, _ words: Words) -> HTML {
        """
        <form id="consent-withdraw" method="post" action="/records/\(id)/consent" autocomplete="off">\(csrfField)
        <input type="hidden" name="action" value="withdraw">
        <fieldset class="group"><legend>\(words("Record that the survivor withdraws consent"))</legend>
        \(flagBoxes("withdraw", consent, words))
        <p class="form-note">\(words("A withdrawal takes effect at once: no one can use that consent any more."))</p>
        </fieldset>
        <div class="actions"><button type="submit" id="consent-withdraw-submit">\(words("Record the withdrawal"))</button></div>
        </form>
        """
    }

    /// One checkbox per flag (a grant or withdrawal of several flags is one change per flag,
    /// as `consent grant` makes them), each with its state now.
    static func flagBoxes(_ form: String, _ consent: ConsentResponse?, _ words: Words) -> HTML {
        let boxes = ConsentFlag.allCases.map(\.rawValue).map { flag -> HTML in
            let state = consent?.flags.first { $0.flag == flag }?.state
            let now: HTML = state.map { HTML(" <span class=\"state\">(\(ClassWords.consentState($0, words)))</span>") } ?? .empty
            return """
            <div class="check"><input type="checkbox" id="\(form)-\(flag)" name="flag" value="\(flag)">\
            <label for="\(form)-\(flag)">\(ClassWords.consentFlag(flag, words))\(now)</label></div>
            """
        }
        return HTML.join(boxes, separator: "\n")
    }

    /// An expiry at midnight as the last day it covers (`2031-01-01T00:00:00Z` is valid
    /// through 2030-12-31), as `consent show` prints it; another time as it is.
    static func shownDate(_ stored: String) -> String {
        guard let t = Timestamp(parsing: stored), t.rfc3339.dropFirst(10).hasPrefix("T00:00:00") else { return stored }
        return t.adding(milliseconds: -86_400_000).date
    }

    static func shownTime(_ t: String) -> String {
        String(t.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
