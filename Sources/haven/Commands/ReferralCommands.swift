import ArgumentParser
import HavenAPI
import HavenClient

struct ReferralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Refer a survivor to another agency, and answer the referrals sent to yours.",
        discussion: """
            A referral opens the record to the receiving agency only once it accepts, only for the \
            service's field classes (policy/referrals.yaml), and only while the survivor's consent for \
            the service holds: a withdrawal revokes it, and a new grant needs a new referral. Until \
            then the receiving agency sees the service, the date and the sending agency, nothing of \
            the survivor. A referral is shown only to its parties: who sent it and the sending \
            agency's desk, the receiving agency's desk, and the user assigned to work it (at \
            acceptance or later by 'referral assign'); to anyone else it does not exist.
            """,
        subcommands: [ReferralCreate.self, ReferralList.self, ReferralShow.self, ReferralAccept.self, ReferralAssign.self,
                      ReferralUnassign.self, ReferralDecline.self, ReferralRevoke.self, ReferralClose.self])
}

/// `haven referral create ID --to AGENCY --service SERVICE --purpose TEXT [--note-file FILE]`.
struct ReferralCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Refer a record of your agency to another agency for a service.",
        discussion: """
            The purpose goes into the audit log like a read's purpose: say why, never who. The note is \
            for the receiving agency, sealed with the record, and shown to it once it accepts.
            """)

    @Argument(help: "Record id.") var id: String
    @Option(help: ArgumentHelp("The receiving agency (agencies.yaml).", valueName: "agency"), completion: PolicyCompletion.agencies)
    var to: String
    @Option(help: ArgumentHelp("The service (referrals.yaml): shelter, health, police, legal, counselling…", valueName: "service"))
    var service: String
    @Option(help: "Why the survivor is referred.") var purpose: String
    @Option(help: ArgumentHelp("A note for the receiving agency, read from this file ('-': stdin).", valueName: "file"))
    var noteFile: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var stdin = StdinUse()
        let note = try noteFile.map { $0 == "-" ? try stdin.take(for: "the note") : try ValueInput.read(file: $0, what: "the note") }
        let r: ReferralWriteResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/referrals",
                              ReferralCreateRequest(to: to, service: service, purpose: purpose, note: note))
        }
        if output.json { Output.json(r); return }
        Output.line(r.ref)
        Output.error("referred \(id) to \(to) for \(service): referral \(r.ref), pending until \(to) accepts it")
    }
}

/// `haven referral list [--incoming|--outgoing] [--status STATUS]`.
struct ReferralList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List your agency's referrals, the latest change first (incoming by default).")

    @Flag(help: "Referrals sent to your agency (the default).") var incoming = false
    @Flag(help: "Referrals your agency sent.") var outgoing = false
    @Option(help: "Only referrals in this state: pending, accepted, declined, revoked, closed.") var status: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !(incoming && outgoing) else { throw ValidationError("give at most one of --incoming and --outgoing") }
    }

    func run() async throws {
        var path = "/v1/referrals?direction=\(outgoing ? "outgoing" : "incoming")"
        if let status { path += "&status=\(HavenClient.escape(status))" }
        let r: ReferralListResponse = try await connection.withClient { try await $0.get(path) }
        if output.json { Output.json(r); return }
        Output.table(["REFERRAL", "SERVICE", "FROM", "TO", "STATUS", "SENT", "UPDATED", "RECORD", "ASSIGNEE", "CASE"],
                     r.referrals.map { [$0.ref, $0.service, $0.from, $0.to, $0.status, $0.createdAt, $0.updatedAt, $0.record ?? "-",
                                        $0.assignee ?? "-", ReferralShow.cases($0, withAgencies: false) ?? "-"] })
        if r.unverified > 0 {
            Output.error("\(r.unverified) referral index rows disagree with their records and are not listed: tell an auditor")
        }
    }
}

/// `haven referral show REF`.
struct ReferralShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a referral and its steps.")

    @Argument(help: "Referral.") var ref: String

    /// The record's case numbers: the receiving agency's (once it has accepted), then the
    /// sender's, each with its agency in `referral show` (a list has no room for them).
    static func cases(_ s: ReferralSummary, withAgencies: Bool = true) -> String? {
        let both = [s.caseNumber.map { withAgencies ? "\($0) at \(s.to)" : $0 },
                    s.fromCaseNumber.map { withAgencies ? "\($0) at \(s.from)" : $0 }].compactMap { $0 }
        return both.isEmpty ? nil : both.joined(separator: ", ")
    }
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: ReferralDetail = try await connection.withClient { try await $0.get("/v1/referrals/\(HavenClient.escape(ref))") }
        if output.json { Output.json(r); return }
        let s = r.referral
        Output.line("referral \(s.ref): \(s.service), \(s.from) → \(s.to), \(s.status)")
        Output.line("sent \(s.createdAt)\(s.createdBy.map { " by \($0)" } ?? ""), last change \(s.updatedAt)")
        if let record = s.record { Output.line("record \(record)" + (Self.cases(s).map { " (case \($0))" } ?? "")) }
        if let assignee = s.assignee { Output.line("assigned to \(assignee)") }
        guard !r.steps.isEmpty else {
            if s.record == nil { Output.error("the record and the referral's words are shown once your agency accepts it") }
            return
        }
        Output.line()
        Output.table(["WHEN", "STEP", "BY", "WORDS"],
                     r.steps.map { s in
                         let who = s.assignee.map { " (\(s.kind == "unassign" ? "unassigned" : "assigned") \($0))" } ?? ""
                         return [s.at, s.kind + who, s.by, s.text ?? "-"]
                     })
        for step in r.steps { if let note = step.note { Output.line(); Output.line("note from \(step.by):"); Output.line(note) } }
    }
}

/// `haven referral accept REF [--assign USER]`.
struct ReferralAccept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept", abstract: "Accept a referral sent to your agency; its roles then reach the record for the service.")

    @Argument(help: "Referral.") var ref: String
    @Option(help: ArgumentHelp("A user of your agency who works it (a counsellor reaches it only so).", valueName: "user"))
    var assign: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: ref, "accept", ReferralStepRequest(assign: assign))
    }
}

/// `haven referral assign REF USER`: the receiving agency's desk names, or hands the
/// referral over to, the user of its agency who works it.
struct ReferralAssign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Name the user of your agency who works an accepted referral, or hand it over.",
        discussion: "Allowed to the receiving agency's desk, as accepting is. A user assigned before loses their reach "
            + "through the referral at their next request.")

    @Argument(help: "Referral.") var ref: String
    @Argument(help: "A user of your agency to work it.") var user: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: ref, "assign", ReferralStepRequest(assign: user))
    }
}

/// `haven referral unassign REF`: the user who worked it is unnamed (a leaver, a case set down).
struct ReferralUnassign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unassign", abstract: "Remove the user who works an accepted referral sent to your agency.",
        discussion: "Their reach through the referral ends at their next request. A referral with no assignee is an "
            + "error (exit 1).")

    @Argument(help: "Referral.") var ref: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: ref, "unassign", ReferralStepRequest())
    }
}

/// The referral and the reason a decline, revocation or closing takes.
struct ReferralReasonOptions: ParsableArguments {
    @Argument(help: "Referral.") var ref: String
    @Option(help: "Why (into the audit log: say why, never who).") var reason: String
}

/// `haven referral decline REF --reason TEXT`.
struct ReferralDecline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline a referral sent to your agency.")

    @OptionGroup var step: ReferralReasonOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: step.ref, "decline", ReferralStepRequest(reason: step.reason))
    }
}

/// `haven referral revoke REF --reason TEXT`: the sender ends it; access ends on the next request.
struct ReferralRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a referral your agency sent; the receiving agency's reach ends at once.")

    @OptionGroup var step: ReferralReasonOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: step.ref, "revoke", ReferralStepRequest(reason: step.reason))
    }
}

/// `haven referral close REF --reason TEXT`: either agency, once the service is done.
struct ReferralClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close an accepted referral once the service is done; the receiving agency's reach ends.")

    @OptionGroup var step: ReferralReasonOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeReferral(connection, output, ref: step.ref, "close", ReferralStepRequest(reason: step.reason))
    }
}

private func changeReferral(_ connection: ConnectionOptions, _ output: OutputOptions, ref: String, _ step: String,
                            _ body: ReferralStepRequest) async throws {
    let r: ReferralWriteResponse = try await connection.withClient {
        try await $0.post("/v1/referrals/\(HavenClient.escape(ref))/\(step)", body)
    }
    if output.json { Output.json(r); return }
    switch (step, body.assign) {
    case ("assign", let user?): Output.line("referral \(r.ref) assigned to \(user)")
    case ("unassign", _): Output.line("referral \(r.ref) unassigned")
    default: Output.line("referral \(r.ref) \(r.status)\(r.status == "accepted" ? r.record.map { ": record \($0)" } ?? "" : "")")
    }
}
