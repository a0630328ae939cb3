import HavenCore

/// Printable forms of a verified extract, for a court file.
public enum ExtractRenderer {
    /// The facts both renderings list above the fields, named in the reader's language:
    /// one list, so the text and the page never disagree on what an extract says of itself.
    static func facts(_ v: VerifiedExtract, _ w: ExtractWords, policy: String) -> [(String, String)] {
        let p = v.payload
        return [(w.record, w.recordFacts(p))] + (p.caseNumber.map { [(w.caseNumber, $0)] } ?? []) + [
            (w.issued, p.issuedAt),
            (w.issuedTo, w.requester(p.requester)),
            (w.purpose, p.purpose),
            (w.legalBasis, w.basis(p.legalBasis)),
            (w.signedBy, w.signer(vault: p.vault, key: v.keyID)),
            (w.auditLog, w.audit(seq: p.audit.seq, size: p.audit.checkpoint.checkpoint.size, time: p.audit.checkpoint.checkpoint.time.rfc3339)),
            (policy, String(p.policyVersion.prefix(16))),
        ]
    }

    // MARK: text

    /// The extract as text; `labels` names fields and choice values in the reader's
    /// language (the payload's English labels without them). The facts' names are padded by
    /// display width, so a Lao or Vietnamese column stays in line.
    public static func text(_ v: VerifiedExtract, labels: ExtractLabels = .payload) -> String {
        let p = v.payload
        let w = labels.words
        var out = [String]()
        out.append(w.title.uppercased())
        if !v.verified { out.append(w.notVerifiedLine) }
        out.append("\(w.verificationCode): \(v.verificationCode)")
        out.append("")
        let facts = Self.facts(v, w, policy: w.policy)
        let width = max(15, facts.map { DisplayWidth.of($0.0) + 2 }.max() ?? 0)
        for (name, value) in facts { out.append(DisplayWidth.pad(name + ":", to: width) + value) }
        out.append("")
        out.append(w.released.uppercased())
        for f in p.fields {
            out.append("  \(labels.field(f)) [\(f.name)]:")
            for line in labels.value(f).split(separator: "\n", omittingEmptySubsequences: false) { out.append("    \(line)") }
        }
        out.append("")
        out.append(w.withheld.uppercased())
        if p.withheld.isEmpty { out.append("  \(w.none)") }
        for x in p.withheld { out.append("  \(labels.fields[x.field].map { "\($0) [\(x.field)]" } ?? x.field): \(x.reason)") }
        out.append("")
        out.append("\(w.verifyWith): haven extract verify FILE --vault-key vault.pub")
        return out.joined(separator: "\n") + "\n"
    }

    public static func basis(_ b: ExtractPayload.LegalBasis) -> String {
        switch b {
        case .courtOrder(let reference):
            return "court order \(reference)"
        case .consent(let flag, let by, let at, let evidence, let expires):
            var s = "survivor's consent (\(flag)) recorded by \(by) at \(at)"
            if let evidence { s += "; evidence: \(evidence)" }
            if let expires { s += "; valid until \(expires)" }
            return s
        }
    }

    // MARK: HTML

    /// A self-contained page. Every value is escaped, marked with its language when it is
    /// Lao or Vietnamese, and set in a font stack that has both scripts.
    public static func html(_ v: VerifiedExtract, labels: ExtractLabels = .payload) -> String {
        let p = v.payload
        let w = labels.words
        var h = """
            <!DOCTYPE html>
            <html lang="\(w.language)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(w.title)) \(escape(p.recordID))</title>
            <style>
            body { font-family: "Noto Sans", "Noto Sans Lao", "Noto Sans Lao UI", "Phetsarath OT", "Saysettha OT",
                   "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2.5em; color: #111; line-height: 1.5; }
            :lang(lo) { font-family: "Noto Sans Lao", "Noto Sans Lao UI", "Phetsarath OT", "Saysettha OT", "Noto Sans", sans-serif; }
            :lang(vi) { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
            h1 { font-size: 1.4em; border-bottom: 2px solid #111; padding-bottom: .3em; }
            .code { font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 1.3em; letter-spacing: .08em; }
            table { border-collapse: collapse; width: 100%; margin: 1em 0; }
            th, td { border: 1px solid #999; padding: .4em .6em; text-align: left; vertical-align: top; }
            th { background: #eee; width: 28%; }
            td.value { white-space: pre-wrap; }
            .withheld td { color: #555; }
            footer { margin-top: 2em; font-size: .9em; color: #333; }
            .unverified { color: #a00; border: 2px solid #a00; padding: .4em; }
            @media print { body { margin: 1.5cm; } }
            </style>
            </head>
            <body>
            <h1>\(escape(w.title))</h1>
            \(v.verified ? "<p class=\"status\">\(escape(w.verifiedWith(v.keyID)))</p>"
                : "<p class=\"status unverified\"><strong>\(escape(w.notVerified))</strong>: \(escape(w.notChecked))</p>")
            <p>\(escape(w.verificationCode)): <span class="code">\(escape(v.verificationCode))</span></p>
            <table class="facts">

            """
        let facts = Self.facts(v, w, policy: w.language == "en" ? "Policy version" : w.policy)
        for (k, value) in facts { h += "<tr><th>\(escape(k))</th><td\(langAttribute(value))>\(escape(value))</td></tr>\n" }
        h += "</table>\n<h2>\(escape(w.released))</h2>\n<table class=\"released\">\n"
        for f in p.fields {
            let label = labels.field(f), value = labels.value(f)
            h += "<tr><th\(langAttribute(label))>\(escape(label))<br><small>\(escape(f.name))</small></th>"
                + "<td class=\"value\"\(langAttribute(value))>\(escape(value))</td></tr>\n"
        }
        h += "</table>\n<h2>\(escape(w.withheld))</h2>\n<table class=\"withheld\">\n"
        if p.withheld.isEmpty { h += "<tr><td>\(escape(w.none))</td></tr>\n" }
        for w in p.withheld { h += "<tr><th>\(escape(w.field))</th><td>\(escape(w.reason))</td></tr>\n" }
        h += """
            </table>
            <footer>\(escape(w.footer.0))
            <code>haven extract verify FILE --vault-key vault.pub</code> \(escape(w.footer.1))</footer>
            </body>
            </html>

            """
        return h
    }

    /// Escapes the five characters that matter in HTML text and attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// ` lang="lo"` for Lao text, ` lang="vi"` for Vietnamese, nothing otherwise, so that a
    /// browser shapes each script with the right font and rules.
    static func langAttribute(_ s: String) -> String {
        if s.unicodeScalars.contains(where: { (0x0E80...0x0EFF).contains($0.value) }) { return " lang=\"lo\"" }
        if s.unicodeScalars.contains(where: { vietnameseLetters.contains($0) }) { return " lang=\"vi\"" }
        return ""
    }

    /// Letters that occur in Vietnamese and in no other language Haven's users write.
    static let vietnameseLetters: Set<Unicode.Scalar> = {
        var set = Set<Unicode.Scalar>()
        for v in 0x1EA0...0x1EF9 { if let s = Unicode.Scalar(v) { set.insert(s) } }  // Latin Extended Additional (ạ…ỹ)
        for c in "ĂăĐđĨĩŨũƠơƯư".unicodeScalars { set.insert(c) }
        return set
    }()
}
