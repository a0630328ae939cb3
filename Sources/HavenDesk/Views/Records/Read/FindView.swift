import HavenAPI

/// The search for a returning survivor: the form (its values are POSTed, never put in a
/// URL), and havend's answer as it gives it: records in reach (metadata only, a link to
/// each), the others counted by agency, or only that one may exist elsewhere.
public enum FindView {
    /// The values as typed, kept in the form after a search or a refusal (in the POST
    /// answer's body only).
    public struct Values: Sendable {
        public let name: String
        public let phone: String
        public let dob: String
        public let purpose: FindPurpose

        public init(name: String = "", phone: String = "", dob: String = "", purpose: FindPurpose = .returning) {
            self.name = name
            self.phone = phone
            self.dob = dob
            self.purpose = purpose
        }
    }

    public static func form(_ values: Values, csrfField: HTML, error: String?, words w: Words) -> HTML {
        let purposes = HTML.join(FindPurpose.allCases.map { p in
            HTML("<option value=\"\(p.rawValue)\"\(p == values.purpose ? HTML(" selected") : .empty)>\(p.label(w))</option>")
        })
        return """
        <form id="find" method="post" action="/find" autocomplete="off">\(csrfField)
        <p>\(w("Give a name, a phone number or a date of birth, or several: a record must match all you give. Names match with or without Vietnamese marks; dates as DD/MM/YYYY or YYYY-MM-DD."))</p>
        <label for="find-name">\(w("Name"))</label> <input id="find-name" name="name" type="text" autocomplete="off" spellcheck="false" maxlength="200" value="\(values.name)">
        <label for="find-phone">\(w("Phone number"))</label> <input id="find-phone" name="phone" type="text" autocomplete="off" spellcheck="false" inputmode="tel" maxlength="40" value="\(values.phone)">
        <label for="find-dob">\(w("Date of birth"))</label> <input id="find-dob" name="dob" type="text" autocomplete="off" spellcheck="false" placeholder="DD/MM/YYYY" maxlength="20" value="\(values.dob)">
        <label for="find-purpose">\(w("Why you are searching (kept in the audit log)"))</label> <select id="find-purpose" name="purpose">\(purposes)</select>
        \(error.map { HTML("<p class=\"field-error\" role=\"alert\">\($0)</p>") } ?? .empty)
        <button type="submit" id="find-submit">\(w("Find"))</button></form>
        """
    }

    public static func results(_ found: FindRecordsResponse, labels: ReadLabels) -> HTML {
        let w = labels.words
        var out = HTML.empty
        if found.matches.isEmpty && found.elsewhere.isEmpty && !found.mayExistElsewhere {
            return "<p id=\"found-none\">\(w("No record you may see matches."))</p>"
        }
        if !found.matches.isEmpty {
            let rows = HTML.join(found.matches.map { f in
                let how: HTML = f.nameMatch == "without_diacritics" ? HTML(" <small>(\(w("name without marks")))</small>") : .empty
                let cells = ReadTable.cells([
                    "<a class=\"record-link\" href=\"/records/\(f.id)\">\(w("Open"))</a>", HTML(text: labels.recordType(f.type)),
                    HTML(text: labels.agency(f.agency)), HTML(text: matched(f, labels: labels)) + how,
                    HTML(text: ReadTable.names(f.assignees)), HTML(text: f.caseNumber ?? "—"),
                ])
                return HTML("<tr data-record=\"\(f.id)\">\(cells)</tr>")
            }, separator: "\n")
            out = out + """
            <table id="found">\(ReadTable.head(["", w("Record type"), w("Agency"), w("Matched on"), w("Assigned to"), w("Case number")]))
            <tbody>
            \(rows)
            </tbody></table>
            """
        }
        if !found.elsewhere.isEmpty || found.mayExistElsewhere {
            let counts = HTML.join(found.elsewhere.map { c in
                HTML("<li data-agency=\"\(c.agency)\">\(w("{agency}: {n}", ["agency": labels.agency(c.agency), "n": String(c.count)]))</li>")
            }, separator: "\n")
            out = out + """
            <section id="found-elsewhere"><h2>\(w("Records you may not see"))</h2>
            \(found.elsewhere.isEmpty ? HTML.empty : HTML("<p>\(w("Matching records at other agencies or beyond your reach: ask them for a referral."))</p><ul>\n\(counts)\n</ul>"))
            \(found.mayExistElsewhere ? HTML("<p class=\"may-exist\">\(w("A record may exist elsewhere; ask the OSSC coordinator."))</p>") : .empty)
            </section>
            """
        }
        return out
    }

    /// The fields that matched, by their labels.
    static func matched(_ f: FoundRecord, labels: ReadLabels) -> String {
        let type = try? labels.policy.recordType(named: f.type)
        return f.matched.map { name in
            type?.fields.first { $0.name.rawValue == name }?.labels.text(labels.language) ?? name
        }.joined(separator: ", ")
    }
}
