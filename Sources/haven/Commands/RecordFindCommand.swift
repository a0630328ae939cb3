import ArgumentParser
import HavenAPI
import HavenClient

/// `haven record find [--name TEXT] [--phone TEXT] [--dob DATE] --purpose TEXT`.
struct RecordFind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Find a returning survivor's records by name, phone or date of birth.",
        discussion: """
            Names match whatever their case, spacing, Unicode form or (Vietnamese) diacritics; phones \
            in national or +856 / +84 form; dates as YYYY-MM-DD or DD/MM/YYYY, never alone. Given \
            several, a record must match them all. Records you could read the matched fields of are \
            listed (metadata, never values). Of the others you learn only what your role and the \
            survivor's consent allow: the agency, where she agreed to share with yours (ask it for a \
            referral); "a record may exist elsewhere; ask the OSSC coordinator"; or nothing. Finds are \
            held to a person's pace (about 10 at once, then one every few seconds; over it, exit 5, \
            rate_limited, with when to try again). Each search is audited with its purpose, which of \
            name, phone and dob were searched and a keyed digest of each, never the values. Exit 0 \
            whether or not anything matched. --json prints {"matches": [{"id", "type", "agency", \
            "matched", "name_match", "assignees"}], "elsewhere": [{"agency", "count"}], \
            "may_exist_elsewhere", "audit_seq"}.
            """)

    @Option(help: "The survivor's name, as it would be written; @FILE or @- (stdin) keeps it off the command line.")
    var name: String?
    @Option(help: "A phone number (020 5551 2345, +856 20 55512345, …); @FILE or @- as for --name.") var phone: String?
    @Option(help: ArgumentHelp("Date of birth (YYYY-MM-DD or DD/MM/YYYY); @FILE or @- as for --name.", valueName: "date"))
    var dob: String?
    @Option(help: "Why you are searching (required; kept in the audit log).") var purpose: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try SearchedValues.validate(name: name, phone: phone, dob: dob)
    }

    func run() async throws {
        let values = try SearchedValues(name: name, phone: phone, dob: dob)
        let body = FindRecordsRequest(name: values.name, phone: values.phone, dob: values.dob, purpose: purpose)
        let r: FindRecordsResponse = try await connection.withClient { try await $0.post("/v1/records/find", body) }
        if output.json { Output.json(r); return }
        if r.matches.isEmpty && r.elsewhere.isEmpty && !r.mayExistElsewhere {
            // Not "no record matches": to a role that learns nothing beyond its reach, that
            // would be untrue whenever one does.
            Output.line("no record you may see matches")
            return
        }
        if !r.matches.isEmpty { Self.printFound(r.matches) }
        if let line = Self.elsewhereLine(r.elsewhere, more: !r.matches.isEmpty) { Output.line(line) }
        if r.mayExistElsewhere { Output.line(Self.mayExistLine) }
    }

    /// The table of found records: one row each, metadata only.
    static func printFound(_ records: [FoundRecord]) {
        Output.table(["ID", "TYPE", "AGENCY", "MATCHED", "ASSIGNED", "CASE"], records.map { f in
            [f.id, f.type, f.agency, matched(f), f.assignees.isEmpty ? "-" : f.assignees.joined(separator: ","), f.caseNumber ?? "-"]
        })
    }

    static func matched(_ f: FoundRecord) -> String {
        f.matched.joined(separator: ",") + (f.nameMatch == "without_diacritics" ? " (name without diacritics)" : "")
    }

    static let mayExistLine = "a record may exist elsewhere; ask the OSSC coordinator"

    /// "2 more at hospital-mahosot (1), ossc-luangprabang (1) — ask them for a referral".
    static func elsewhereLine(_ counts: [AgencyCount], more: Bool) -> String? {
        guard !counts.isEmpty else { return nil }
        let total = counts.reduce(0) { $0 + $1.count }
        let agencies = counts.map { $0.count == 1 ? $0.agency : "\($0.agency) (\($0.count))" }.joined(separator: ", ")
        let noun = more ? "more" : (total == 1 ? "match" : "matches")
        return "\(total) \(noun) you may not see, at \(agencies): ask them for a referral"
    }
}
