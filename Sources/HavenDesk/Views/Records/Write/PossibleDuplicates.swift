import HavenAPI

/// What the check before saving found: records that may be the same survivor's, as the
/// CLI's `record create` reports them (the same name and date of birth, or the same phone),
/// metadata only; of records beyond reach, only what `record find` tells this role.
public struct DuplicateFindings: Sendable, Equatable {
    public var records: [FoundRecord]
    public var elsewhere: [AgencyCount]
    public var mayExistElsewhere: Bool

    public init(records: [FoundRecord] = [], elsewhere: [AgencyCount] = [], mayExistElsewhere: Bool = false) {
        self.records = records
        self.elsewhere = elsewhere
        self.mayExistElsewhere = mayExistElsewhere
    }

    public var isEmpty: Bool { records.isEmpty && elsewhere.isEmpty && !mayExistElsewhere }

    /// Adds one search's answer. A record both searches find is listed once with every field
    /// it matched; an agency's count is the larger of the two (the same records may be behind
    /// both), never their sum, which could count one survivor twice.
    public mutating func merge(_ answer: FindRecordsResponse) {
        for found in answer.matches {
            if let i = records.firstIndex(where: { $0.id == found.id }) {
                let old = records[i]
                let matched = old.matched + found.matched.filter { !old.matched.contains($0) }
                records[i] = FoundRecord(id: old.id, type: old.type, agency: old.agency, matched: matched,
                                         nameMatch: old.nameMatch ?? found.nameMatch, assignees: old.assignees,
                                         caseNumber: old.caseNumber ?? found.caseNumber)
            } else {
                records.append(found)
            }
        }
        for count in answer.elsewhere {
            if let i = elsewhere.firstIndex(where: { $0.agency == count.agency }) {
                elsewhere[i] = AgencyCount(agency: count.agency, count: max(elsewhere[i].count, count.count))
            } else {
                elsewhere.append(count)
            }
        }
        mayExistElsewhere = mayExistElsewhere || answer.mayExistElsewhere
    }
}

/// `section#possible-duplicates`: the findings, and the button that saves all the same
/// (two records of one survivor are for people to join, not for the desk to refuse).
public enum PossibleDuplicatesView {
    public static func render(_ findings: DuplicateFindings, labels: SchemaLabels, words: Words) -> HTML {
        let rows = findings.records.map { f -> HTML in
            let matched = f.matched.map { labels.field(named: $0, of: f.type) }.joined(separator: ", ")
                + (f.nameMatch == "without_diacritics" ? " " + words("(name without diacritics)") : "")
            return """
            <tr data-record="\(f.id)"><td><a class="record-link" href="/records/\(f.id)">\(f.caseNumber ?? String(f.id.prefix(8)))</a></td>\
            <td>\(labels.recordType(f.type))</td><td>\(labels.agency(f.agency))</td><td>\(matched)</td>\
            <td>\(f.assignees.isEmpty ? "—" : f.assignees.joined(separator: ", "))</td></tr>
            """
        }
        let table: HTML = findings.records.isEmpty ? .empty : """
            <table class="duplicates"><thead><tr><th scope="col">\(words("Record"))</th><th scope="col">\(words("Type"))</th>\
            <th scope="col">\(words("Agency"))</th><th scope="col">\(words("Matched"))</th><th scope="col">\(words("Assigned to"))</th></tr></thead>
            <tbody>\(HTML.join(rows, separator: "\n"))</tbody></table>
            """
        var lines = [HTML]()
        if !findings.elsewhere.isEmpty {
            let total = findings.elsewhere.reduce(0) { $0 + $1.count }
            let agencies = findings.elsewhere.map { "\(labels.agency($0.agency)) (\($0.count))" }.joined(separator: ", ")
            lines.append("<p class=\"elsewhere\">\(words("{count} possible matches you may not see, at {agencies}: ask them for a referral.", ["count": String(total), "agencies": agencies]))</p>")
        }
        if findings.mayExistElsewhere {
            lines.append("<p class=\"elsewhere\">\(words("A record may exist elsewhere; ask the OSSC coordinator."))</p>")
        }
        return """
        <section id="possible-duplicates" aria-labelledby="possible-duplicates-title">
        <h2 id="possible-duplicates-title">\(words("Possible duplicates"))</h2>
        <p>\(words("Records with the same name and date of birth, or the same phone, already exist. Check them before saving: the survivor may have been here before."))</p>
        \(table)\(HTML.join(lines))
        <p>\(words("Nothing has been saved yet. If this is a different person, save the record anyway."))</p>
        <button type="submit" id="save-anyway" name="confirm" value="save-anyway">\(words("Save anyway"))</button>
        </section>
        """
    }

    /// The section when the check could not be made: nothing is known either way.
    public static func unchecked(words: Words) -> HTML {
        """
        <section id="possible-duplicates" aria-labelledby="possible-duplicates-title">
        <h2 id="possible-duplicates-title">\(words("Possible duplicates"))</h2>
        <p>\(words("The check for possible duplicates could not be made. Nothing has been saved yet: save again in a moment, or save the record without the check."))</p>
        <button type="submit" id="save-anyway" name="confirm" value="save-anyway">\(words("Save anyway"))</button>
        </section>
        """
    }
}
