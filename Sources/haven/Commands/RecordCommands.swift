import ArgumentParser
import HavenAPI
import HavenClient
import HavenCore

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Create, read, update, list, find, assign and erase case records.",
        subcommands: [RecordCreate.self, RecordGet.self, RecordUpdate.self, RecordList.self, RecordFind.self, RecordAssign.self,
                      RecordUnassign.self, RecordErase.self])
}

/// Parses repeated `--field KEY=VALUE` options; the value may itself contain `=`, and may
/// come from a file or stdin (`KEY=@FILE`, `KEY=@-`; `KEY=@@…` for a value starting with @).
func parseFields(_ raw: [String]) throws -> [String: String] {
    var out = [String: String]()
    var stdin = StdinUse()
    for item in raw {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
            throw ValidationError("--field takes KEY=VALUE, got '\(NameRules.printable(item))'")
        }
        let key = String(item[..<eq])
        guard out[key] == nil else { throw ValidationError("field '\(key)' is given twice") }
        out[key] = try ValueInput.resolve(String(item[item.index(after: eq)...]), what: "field '\(key)'", stdin: &stdin)
    }
    return out
}

/// `haven record create --type TYPE --field KEY=VALUE … [--assign USER]`.
struct RecordCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a record; prints its id.",
        discussion: """
            Before creating it, the vault looks for records with the same name and date of birth, or \
            the same phone: those you could read are named on stderr as possible duplicates, the others \
            counted by agency: at most 20, the most recently changed first, and a line saying when more \
            may exist. The record is created either way. --json prints {"id", "version"} and, when \
            something matched, "possible_duplicates": {"records": […], "elsewhere": […], "count": n, \
            "unchecked": n}.
            """)

    @Option(help: "Record type (e.g. gbv_incident, trafficking_case).", completion: PolicyCompletion.recordTypes) var type: String
    @Option(name: .customLong("field"), help: ArgumentHelp(
        "A field value, KEY=VALUE (repeatable); KEY=@FILE or KEY=@- (stdin) keeps it off the command line, KEY=@@… starts it with @.",
        valueName: "key=value"))
    var fields: [String] = []
    @Option(name: .customLong("assign"), help: ArgumentHelp("Assign to a user (repeatable).", valueName: "user"))
    var assign: [String] = []
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let body = CreateRecordRequest(type: type, fields: try parseFields(fields), assign: assign.isEmpty ? nil : assign)
        let created: RecordWriteResponse = try await connection.withClient { try await $0.post("/v1/records", body) }
        if output.json { Output.json(created); return }
        Output.line(created.id)
        // On stderr: scripts read the new id from stdout.
        if let d = created.possibleDuplicates {
            for f in d.records {
                Output.error("possible duplicate: \(f.id) (\(f.type), \(f.agency); matched \(RecordFind.matched(f)))")
            }
            if let line = RecordFind.elsewhereLine(d.elsewhere, more: !d.records.isEmpty) { Output.error("possible duplicates: " + line) }
            if d.more {
                let candidates = d.unchecked == 1 ? "1 further candidate" : "\(d.unchecked) further candidates"
                Output.error("possible duplicates: \(d.count) listed; more may exist (\(candidates) unchecked)")
            }
        }
    }
}

/// `haven record get ID --purpose TEXT [--fields a,b] [--break-glass REASON]`, also spelt
/// `haven record show`: consent and referrals are read with `show`, and a user who reads
/// them that way reaches for the same word here.
struct RecordGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Read a record: the fields you may see; the rest are listed as withheld, with the reason.",
        discussion: "'haven record show' is the same command, as 'consent show' and 'referral show' read theirs.",
        aliases: ["show"])

    @Argument(help: "Record id, or a case number of your agency.") var id: String
    @Option(help: "Why you are reading the record (required; kept in the audit log).") var purpose: String
    @Option(help: ArgumentHelp("Only these fields, comma-separated.", valueName: "a,b")) var fields: String?
    @Option(help: ArgumentHelp("Emergency override: the reason (20+ characters), flagged for auditors.", valueName: "reason"))
    var breakGlass: String?
    @Option(help: ArgumentHelp("Notes per page, the latest first (default 20, at most 1000).", valueName: "n"))
    var notesLimit: Int?
    @Option(help: ArgumentHelp("Only notes before this index (the hint under a page gives it).", valueName: "index"))
    var notesBefore: UInt64?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let names = fields.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let body = ReadRecordRequest(purpose: purpose, fields: names, breakGlass: breakGlass, notesBefore: notesBefore,
                                     notesLimit: notesLimit)
        let r: ReadRecordResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/read", body)
        }
        if output.json { Output.json(r); return }
        Output.line("record  \(r.id)  " + (r.caseNumber.map { "case \($0)  " } ?? "")
                    + "(\(r.type), agency \(r.agency), version \(r.version))")
        if r.breakGlass { Output.line("BREAK-GLASS access: flagged for the auditors") }
        let present = r.fields.keys.sorted()
        Output.table(["FIELD", "VALUE"], present.map { [$0, (r.fields[$0] ?? nil) ?? "(not recorded)"] })
        for n in r.notes {
            Output.line("note #\(n.index) (\(n.noteClass), \(n.author), \(n.createdAt)):")
            Output.line("  " + n.text.replacingOccurrences(of: "\n", with: "\n  "))
        }
        if !r.withheld.isEmpty || !r.withheldNotes.isEmpty {
            Output.line("withheld:")
            for w in r.withheld { Output.line("  \(w.field): \(w.reason)") }
            for w in r.withheldNotes { Output.line("  note #\(w.index): \(w.reason)") }
        }
        let shown = r.notes.map(\.index) + r.withheldNotes.map(\.index)
        if let first = shown.min(), let last = shown.max(), first > 1 {
            let total = r.notesTotal.map { " of \($0)" } ?? ""
            Output.line("notes \(first)–\(last)\(total); earlier ones: --notes-before \(first)")
        }
    }
}

/// `haven record update ID --field KEY=VALUE …`.
struct RecordUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change field values of a record.")

    @Argument(help: "Record id, or a case number of your agency.") var id: String
    @Option(name: .customLong("field"), help: ArgumentHelp(
        "A field value, KEY=VALUE (repeatable); KEY=@FILE or KEY=@- (stdin) keeps it off the command line, KEY=@@… starts it with @.",
        valueName: "key=value"))
    var fields: [String] = []
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if fields.isEmpty { throw ValidationError("give at least one --field KEY=VALUE") }
    }

    func run() async throws {
        let body = UpdateRecordRequest(fields: try parseFields(fields))
        let r: RecordWriteResponse = try await connection.withClient { try await $0.patch("/v1/records/\(HavenClient.escape(id))", body) }
        if output.json { Output.json(r); return }
        Output.line("updated \(r.id) (version \(r.version))")
    }
}

/// `haven record list`: metadata only, never field values.
struct RecordList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the records you may see (metadata only), the last changed first.",
        discussion: """
            The last line says how many more records there are (counted up to 10,000) and how to see them. \
            --json prints {"records": […], "next": CURSOR, "remaining": N, "damaged": […]}, without "next" on the last page.
            """)

    @Option(help: "Records per page (the daemon gives at most 200).") var limit: Int = 50
    @Option(help: ArgumentHelp("Start after this cursor (the one the last line, or 'next' in --json, gives).", valueName: "cursor"))
    var after: String?
    @Flag(help: "The earliest changed first.") var oldestFirst = false
    @Flag(help: "Follow every page.") var all = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        let order = oldestFirst ? "oldest" : "newest"
        let result: RecordListResponse = try await connection.withClient { client in
            var records = [RecordSummary]()
            var damaged = [String]()
            var cursor = after
            var last: RecordListResponse
            repeat {
                var path = "/v1/records?order=\(order)&limit=\(limit)"
                if let c = cursor { path += "&after=\(HavenClient.escape(c))" }
                last = try await client.get(path)
                // A daemon older than this client lists by id and gives no count.
                guard last.remaining != nil else {
                    throw HavenError(.unavailable, "havend is older than this haven and cannot list records by last change",
                                     hint: "upgrade havend")
                }
                records += last.records
                damaged += last.damaged
                cursor = last.next
            } while all && cursor != nil
            return RecordListResponse(records: records, next: last.next, damaged: damaged, remaining: last.remaining)
        }
        if output.json { Output.json(result); return }
        // The columns scripts read by position keep their places; the case number came later, so it is last,
        // and an empty cell is '-' (as in record find) so that splitting at spaces finds it there.
        Output.table(["ID", "TYPE", "AGENCY", "STATUS", "VERSION", "UPDATED", "ASSIGNED", "CASE"],
                     result.records.map { [$0.id, $0.type, $0.agency, $0.status, String($0.version), $0.updatedAt,
                                           $0.assignees.isEmpty ? "-" : $0.assignees.joined(separator: ","), $0.caseNumber ?? "-"] })
        if !result.damaged.isEmpty {
            Output.line("not listed, failed their integrity check (an auditor sees why in 'haven audit log'): "
                  + result.damaged.joined(separator: ", "))
        }
        if let next = result.next, let remaining = result.remaining, remaining > 0 {
            Output.more(remaining, option: "--after", cursor: next)
        }
    }
}

/// `haven record assign ID USER`.
struct RecordAssign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Assign a record to a user.")

    @Argument(help: "Record id.") var id: String
    @Argument(help: "User to assign.") var user: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: RecordWriteResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/assign", AssignRequest(user: user))
        }
        if output.json { Output.json(r); return }
        Output.line("assigned \(r.id) to \(user) (version \(r.version))")
    }
}

/// `haven record unassign ID USER`: the correction of an assignment (a mistyped name, a
/// case handed over, a leaver still listed).
struct RecordUnassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unassign", abstract: "Remove a user from a record's assignees.",
        discussion: "Allowed to whoever may assign on the record. The user's reach through the assignment ends at their "
            + "next request. A user who is not assigned is an error (exit 1).")

    @Argument(help: "Record id.") var id: String
    @Argument(help: "User to remove.") var user: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: RecordWriteResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/unassign", AssignRequest(user: user))
        }
        if output.json { Output.json(r); return }
        Output.line("removed \(user) from \(r.id) (version \(r.version))")
    }
}
