import HavenPolicy

/// `form#erase`, in two steps: the reason (a code of policy/erasure.yaml, and a reference
/// where it takes one), then a page that says plainly what erasure destroys and asks once
/// more. Only the second step sends the erasure.
public enum EraseFormView {
    /// The reasons by code, sorted, each with its words.
    public static func reasons(_ policy: Policy, words: Words) -> [(code: String, label: String)] {
        policy.erasure.codes.map { code in
            (code, ClassWords.erasureReason(code, policyLabel: policy.erasure.reasons[code]?.label ?? code, words))
        }
    }

    public static func choose(recordID: String, reasons: [(code: String, label: String)], reason: String?, reference: String,
                              error: String?, notice: HTML, csrfField: HTML, words: Words) -> HTML {
        let options = reasons.map { r -> HTML in
            "<option value=\"\(r.code)\"\(r.code == reason ? HTML(" selected") : .empty)>\(r.label)</option>"
        }
        let message: HTML = error.map { HTML("<p class=\"field-error\" id=\"e-erase\" role=\"alert\">\($0)</p>") } ?? .empty
        return """
        \(notice)<p class="warning">\(words("Erasing destroys the record for good: its fields, notes and consent history can never be read again. Its audit history remains."))</p>
        <form id="erase" method="post" action="/records/\(recordID)/erase" autocomplete="off">\(csrfField)
        <div class="field\(error == nil ? "" : " has-error")" data-field="reason"><label for="erase-reason">\(words("Why is the record erased?"))</label>
        <select id="erase-reason" name="reason" required aria-required="true"><option value=""\(reason == nil ? HTML(" selected") : .empty)>\(words("Choose…"))</option>\(HTML.join(options))</select></div>
        <div class="field" data-field="reference"><label for="erase-reference">\(words("Reference (a court order's number or a request's ticket; required for a court order)"))</label>
        <input type="text" id="erase-reference" name="reference" maxlength="40" autocomplete="off" value="\(reference)"></div>
        \(message)
        <div class="actions"><button type="submit" id="erase-submit">\(words("Continue"))</button>
        <a class="cancel" href="/records/\(recordID)">\(words("Cancel"))</a></div>
        </form>
        """
    }

    public static func confirm(recordID: String, reason: (code: String, label: String), reference: String?, csrfField: HTML,
                               words: Words) -> HTML {
        let ref: HTML = reference.map { HTML("<dt>\(words("Reference"))</dt><dd>\($0)</dd>") } ?? .empty
        return """
        <div class="warning" role="alert"><p>\(words("Erase this record for good? This cannot be undone: no one, not even an administrator, can bring it back."))</p></div>
        <dl class="erase-summary"><dt>\(words("Reason"))</dt><dd>\(reason.label)</dd>\(ref)</dl>
        <form id="erase" method="post" action="/records/\(recordID)/erase" autocomplete="off">\(csrfField)
        <input type="hidden" name="reason" value="\(reason.code)">
        <input type="hidden" name="reference" value="\(reference ?? "")">
        <input type="hidden" name="confirm" value="erase">
        <div class="actions"><button type="submit" id="erase-submit" class="danger">\(words("Erase the record for good"))</button>
        <a class="cancel" href="/records/\(recordID)">\(words("Cancel: keep the record"))</a></div>
        </form>
        """
    }
}
