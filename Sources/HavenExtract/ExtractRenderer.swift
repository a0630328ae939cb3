import HavenCore

/// Printable forms of a verified extract, for a court file.
public enum ExtractRenderer {
    // MARK: text

    public static func text(_ v: VerifiedExtract) -> String {
        let p = v.payload
        var out = [String]()
        out.append("CERTIFIED EXTRACT OF A CASE RECORD")
        if !v.verified { out.append("NOT VERIFIED: the signature was not checked. Run: haven extract verify FILE --vault-key vault.pub") }
        out.append("Verification code: \(v.verificationCode)")
        out.append("")
        out.append("Record:        \(p.recordID) (\(p.recordType), version \(p.recordVersion), agency \(p.agency))")
        if let n = p.caseNumber { out.append("Case number:   \(n)") }
        out.append("Issued:        \(p.issuedAt)")
        out.append("Issued to:     \(p.requester.user) (role \(p.requester.role), agency \(p.requester.agency))")
        out.append("Purpose:       \(p.purpose)")
        out.append("Legal basis:   \(basis(p.legalBasis))")
        out.append("Signed by:     vault \(p.vault), key \(v.keyID)")
        out.append("Audit log:     entry \(p.audit.seq), in the log of \(p.audit.checkpoint.checkpoint.size) entries signed "
                   + "\(p.audit.checkpoint.checkpoint.time.rfc3339)")
        out.append("Policy:        \(p.policyVersion.prefix(16))")
        out.append("")
        out.append("RELEASED FIELDS")
        for f in p.fields {
            out.append("  \(f.label) [\(f.name)]:")
            for line in f.value.split(separator: "\n", omittingEmptySubsequences: false) { out.append("    \(line)") }
        }
        out.append("")
        out.append("WITHHELD FIELDS")
        if p.withheld.isEmpty { out.append("  (none)") }
        for w in p.withheld { out.append("  \(w.field): \(w.reason)") }
        out.append("")
        out.append("Verify with: haven extract verify FILE --vault-key vault.pub")
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
    public static func html(_ v: VerifiedExtract) -> String {
        let p = v.payload
        var h = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Certified extract \(escape(p.recordID))</title>
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
            <h1>Certified extract of a case record</h1>
            \(v.verified ? "<p class=\"status\">Signature verified with the vault key \(escape(v.keyID)).</p>"
                : "<p class=\"status unverified\"><strong>NOT VERIFIED</strong>: the signature was not checked.</p>")
            <p>Verification code: <span class="code">\(escape(v.verificationCode))</span></p>
            <table class="facts">

            """
        let facts: [(String, String)] = [
            ("Record", "\(p.recordID) (\(p.recordType), version \(p.recordVersion), agency \(p.agency))"),
        ] + (p.caseNumber.map { [("Case number", $0)] } ?? []) + [
            ("Issued", p.issuedAt),
            ("Issued to", "\(p.requester.user) (role \(p.requester.role), agency \(p.requester.agency))"),
            ("Purpose", p.purpose),
            ("Legal basis", basis(p.legalBasis)),
            ("Signed by", "vault \(p.vault), key \(v.keyID)"),
            ("Audit log", "entry \(p.audit.seq) of the log of \(p.audit.checkpoint.checkpoint.size) entries signed "
                + "\(p.audit.checkpoint.checkpoint.time.rfc3339)"),
            ("Policy version", String(p.policyVersion.prefix(16))),
        ]
        for (k, value) in facts { h += "<tr><th>\(escape(k))</th><td\(langAttribute(value))>\(escape(value))</td></tr>\n" }
        h += "</table>\n<h2>Released fields</h2>\n<table class=\"released\">\n"
        for f in p.fields {
            h += "<tr><th>\(escape(f.label))<br><small>\(escape(f.name))</small></th>"
                + "<td class=\"value\"\(langAttribute(f.value))>\(escape(f.value))</td></tr>\n"
        }
        h += "</table>\n<h2>Withheld fields</h2>\n<table class=\"withheld\">\n"
        if p.withheld.isEmpty { h += "<tr><td>(none)</td></tr>\n" }
        for w in p.withheld { h += "<tr><th>\(escape(w.field))</th><td>\(escape(w.reason))</td></tr>\n" }
        h += """
            </table>
            <footer>This page is a rendering. The signed file is the evidence: check it with
            <code>haven extract verify FILE --vault-key vault.pub</code> and compare the verification code.</footer>
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
