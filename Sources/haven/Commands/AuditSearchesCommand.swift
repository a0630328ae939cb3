import ArgumentParser
import HavenAPI
import HavenClient

/// `haven audit searches --name TEXT | --phone TEXT | --dob DATE [--since TIME] [--until TIME]`.
struct AuditSearches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "searches", abstract: "Who searched for a person: the finds of a name, a phone or a date of birth.",
        discussion: """
            The log keeps no searched value, only a keyed digest of each in its search form; the \
            daemon computes the digest of the values given here, so any spelling of a name (with or \
            without diacritics) or of a phone finds the others. Lists every record find, allowed or \
            refused, that searched for at least one of them, newest first (at most 1,000): who, when, \
            with what purpose, which kinds were searched and which matched. This question is audited \
            too, with the digests, never the values. --json prints {"digests", "entries": […], "scanned"}.
            """)

    @Option(help: "A name, as it might have been typed; @FILE or @- (stdin) keeps it off the command line.") var name: String?
    @Option(help: "A phone number; @FILE or @- as for --name.") var phone: String?
    @Option(help: ArgumentHelp("A date of birth (YYYY-MM-DD or DD/MM/YYYY); @FILE or @- as for --name.", valueName: "date"))
    var dob: String?
    @Option(help: "From this date or RFC 3339 time.") var since: String?
    @Option(help: "Before this date or RFC 3339 time.") var until: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try SearchedValues.validate(name: name, phone: phone, dob: dob)
    }

    func run() async throws {
        let values = try SearchedValues(name: name, phone: phone, dob: dob)
        let body = AuditSearchesRequest(name: values.name, phone: values.phone, dob: values.dob, since: since, until: until)
        let r: AuditSearchesResponse = try await connection.withClient { try await $0.post("/v1/audit/searches", body) }
        if output.json { Output.json(r); return }
        if r.entries.isEmpty {
            Output.line("no find searched for this (\(r.scanned) finds looked through)")
            return
        }
        Output.table(["SEQ", "TIME", "USER", "ROLE", "AGENCY", "PURPOSE", "SEARCHED", "MATCHED", "DECISION"], r.entries.map { e in
            [String(e.seq), e.time, e.actor?.user ?? "-", e.actor?.role ?? "-", e.actor?.agency ?? "-", e.purpose ?? "-",
             e.detail["searched"] ?? "-", r.matched(e).joined(separator: ","),
             e.decision + (e.outcome == "ok" || e.outcome == "denied" ? "" : " (\(e.outcome))")]
        })
    }
}
