import ArgumentParser
import HavenAPI
import HavenClient

struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record and review a survivor's consent, flag by flag.",
        discussion: "Flags: counselling, health, police, legal, shelter, statistics. History is kept; nothing is overwritten.",
        subcommands: [ConsentGrant.self, ConsentWithdraw.self, ConsentShow.self])
}

/// `haven consent grant ID FLAG [--evidence sha256:HEX | --evidence-file FORM] [--expires DATE]`.
struct ConsentGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Record that the survivor grants a consent flag.")

    @Argument(help: "Record id.") var id: String
    @Argument(help: "Consent flag.", completion: PolicyCompletion.consentFlags) var flag: String
    @OptionGroup var evidence: EvidenceOptions
    @Option(help: "Expiry: a date (valid through the end of that day, 24:00 UTC; shown as that date) or an RFC 3339 time, no later than 2100-12-31.")
    var expires: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeConsent(connection, output, id: id,
                                ConsentChangeRequest(flag: flag, action: "grant", evidence: try evidence.digest(), expires: expires))
    }
}

/// `haven consent withdraw ID FLAG`: effective on the very next request.
struct ConsentWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Record that the survivor withdraws a consent flag.")

    @Argument(help: "Record id.") var id: String
    @Argument(help: "Consent flag.", completion: PolicyCompletion.consentFlags) var flag: String
    @OptionGroup var evidence: EvidenceOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await changeConsent(connection, output, id: id,
                                ConsentChangeRequest(flag: flag, action: "withdraw", evidence: try evidence.digest(), expires: nil))
    }
}

private func changeConsent(_ connection: ConnectionOptions, _ output: OutputOptions, id: String,
                           _ body: ConsentChangeRequest) async throws {
    let r: RecordWriteResponse = try await connection.withClient {
        try await $0.post("/v1/records/\(HavenClient.escape(id))/consent", body)
    }
    if output.json { Output.json(r); return }
    Output.line("\(body.action == "grant" ? "granted" : "withdrew") \(body.flag) on \(r.id) (version \(r.version))"
                + ExpiryText.typed(body.expires))
}

/// `haven consent show ID`.
struct ConsentShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show each flag's state and the history, the latest events first.")

    @Argument(help: "Record id.") var id: String
    @Option(help: ArgumentHelp("Events per page (default 20, at most 1000).", valueName: "n")) var historyLimit: Int?
    @Option(help: ArgumentHelp("Only events before this index (the hint under a page gives it).", valueName: "index"))
    var historyBefore: UInt64?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var query = [String]()
        if let historyLimit { query.append("history_limit=\(historyLimit)") }
        if let historyBefore { query.append("history_before=\(historyBefore)") }
        let path = "/v1/records/\(HavenClient.escape(id))/consent" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let r: ConsentResponse = try await connection.withClient { try await $0.get(path) }
        if output.json { Output.json(r); return }
        Output.table(["FLAG", "STATE", "EXPIRES"], r.flags.map { [$0.flag, $0.state, $0.expiresAt.map(ExpiryText.shown) ?? "-"] })
        Output.line()
        Output.table(["#", "WHEN", "FLAG", "CHANGE", "BY", "EXPIRES", "EVIDENCE"],
                     r.history.map { [String($0.index), $0.recordedAt, $0.flag, $0.kind, $0.recordedBy, $0.expiresAt.map(ExpiryText.shown) ?? "-",
                                      $0.evidence ?? "-"] })
        if let first = r.history.first?.index, first > 1 {
            Output.line("events \(first)–\(r.history.last?.index ?? first) of \(r.historyTotal); earlier ones: --history-before \(first)")
        }
    }
}
