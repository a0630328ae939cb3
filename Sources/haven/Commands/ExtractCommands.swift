import ArgumentParser
import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenExtract
import HavenPolicy

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract", abstract: "Certified extracts for courts, verifiable offline.",
        subcommands: [ExtractCreate.self, ExtractVerify.self, ExtractRender.self])
}

/// `haven extract create ID --purpose TEXT (--court-order REF | --consent) [--fields a,b | --all-permitted] --out FILE`.
struct ExtractCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Obtain a signed extract of a record (court role).")

    @Argument(help: "Record id.") var id: String
    @Option(help: "Why the extract is needed (kept in the audit log and in the extract).") var purpose: String
    @Option(help: ArgumentHelp("The court order the extract is issued under (recorded).", valueName: "ref")) var courtOrder: String?
    @Flag(help: "Issue under the survivor's legal consent.") var consent = false
    @Option(help: ArgumentHelp("Only these fields, comma-separated.", valueName: "a,b")) var fields: String?
    @Flag(help: "Every field the court may have (the default).") var allPermitted = false
    @Option(help: ArgumentHelp("The file to write (mode 0600: it holds a survivor's data).", valueName: "file")) var out: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (courtOrder != nil) != consent else { throw ValidationError("give exactly one of --court-order REF and --consent") }
        if fields != nil && allPermitted { throw ValidationError("--fields and --all-permitted go alone") }
    }

    func run() async throws {
        let names = fields.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let body = ExtractRequest(purpose: purpose, basis: consent ? "consent" : "court_order", courtOrder: courtOrder, fields: names)
        let response = try await connection.withClient { client in
            try await client.connection.send(method: .POST, path: "/v1/records/\(HavenClient.escape(id))/extract",
                                             body: [UInt8](try JSONEncoder().encode(body)))
        }
        guard response.status == 201 else {
            let error = (try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)))?.havenError
            throw error ?? HavenError(.internalError, "havend answered \(response.status)")
        }
        let extract = try ExtractVerifier.unverified(response.body)
        try response.body.withUnsafeBytes { try KeyFiles.create(path: out, contents: $0, mode: 0o600, what: "an extract") }
        if output.json {
            Output.json(ExtractAnswer(file: out, verified: false, reason: nil, extract: ExtractSummary(extract)))
            return
        }
        Output.line("wrote \(out): extract of record \(extract.payload.recordID), \(extract.payload.fields.count) fields released, "
                    + "\(extract.payload.withheld.count) withheld; verification code \(extract.verificationCode)")
    }
}

/// `haven extract verify FILE --vault-key PUB`: offline, no daemon, no secret.
struct ExtractVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify an extract offline; exit 0 if valid, 1 with the reason if not.")

    @Argument(help: "The extract file.") var file: String
    @Option(help: ArgumentHelp("The vault's public key (DIR/vault.pub).", valueName: "pub")) var vaultKey: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: vaultKey)
        let bytes = try KeyFiles.readSmallFile(file, limit: 16 << 20)
        let v: VerifiedExtract
        do {
            v = try ExtractVerifier.verify(bytes, vaultKey: key)
        } catch {
            if output.json {
                Output.json(ExtractAnswer(file: file, verified: false, reason: error.message, extract: nil))
            } else {
                Output.line("INVALID: \(file): \(error.message)")
            }
            throw ExitCode(ExitStatus.error.rawValue)
        }
        if output.json {
            Output.json(ExtractAnswer(file: file, verified: true, reason: nil, extract: ExtractSummary(v)))
            return
        }
        let p = v.payload
        Output.line("valid: \(file)")
        Output.line("  record:            \(p.recordID) (\(p.recordType), version \(p.recordVersion), agency \(p.agency))")
        Output.line("  issued:            \(p.issuedAt) to \(p.requester.user) (role \(p.requester.role), agency \(p.requester.agency))")
        Output.line("  legal basis:       \(ExtractRenderer.basis(p.legalBasis))")
        Output.line("  fields released:   \(p.fields.map(\.name).joined(separator: ", "))")
        Output.line("  fields withheld:   \(p.withheld.isEmpty ? "none" : p.withheld.map(\.field).joined(separator: ", "))")
        Output.line("  audit log:         issuing entry \(p.audit.seq) is in the log of \(p.audit.checkpoint.checkpoint.size) "
                    + "entries signed \(p.audit.checkpoint.checkpoint.time.rfc3339)")
        Output.line("  signed by:         vault \(p.vault), key \(v.keyID)")
        Output.line("  verification code: \(v.verificationCode)")
    }
}

/// `haven extract render FILE --format text|html`.
struct ExtractRender: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "A printable version of an extract (text or HTML).",
        discussion: "With --vault-key the extract is verified first and an invalid one is not rendered; without it the "
            + "rendering is marked NOT VERIFIED. --lang lo or vi renders the headings in Lao or Vietnamese; with --policy "
            + "the fields and choice values are named by that policy directory's labels (policy/README.md, \"Labels\"), "
            + "each code shown beside its label; without it, as the extract carries them (English).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, html }

    @Argument(help: "The extract file.") var file: String
    @Option(help: "text or html.") var format: Format = .text
    @Option(help: ArgumentHelp("Verify with this vault public key before rendering.", valueName: "pub")) var vaultKey: String?
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?
    @Option(help: ArgumentHelp("Headings and labels in en, lo or vi.", valueName: "language")) var lang: String = "en"
    @Option(help: ArgumentHelp("A policy directory whose labels name the fields and choice values.", valueName: "dir"))
    var policy: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard LocalizedLabel.languages.contains(lang) else { throw ValidationError("--lang must be en, lo or vi") }
    }

    func run() async throws {
        let bytes = try KeyFiles.readSmallFile(file, limit: 16 << 20)
        let v = try vaultKey.map { try ExtractVerifier.verify(bytes, vaultKey: try KeyFiles.readPublic(path: $0)) }
            ?? ExtractVerifier.unverified(bytes)
        let labels = try labels(for: v.payload)
        let text = format == .html ? ExtractRenderer.html(v, labels: labels) : ExtractRenderer.text(v, labels: labels)
        if let out {
            try Array(text.utf8).withUnsafeBytes { try KeyFiles.create(path: out, contents: $0, mode: 0o600, what: "a rendered extract") }
        }
        if output.json {
            Output.json(ExtractAnswer(file: file, verified: v.verified, reason: nil, extract: ExtractSummary(v), format: format.rawValue,
                                      out: out, rendering: out == nil ? text : nil))
        } else if out == nil {
            Output.raw(Array(text.utf8))
        }
    }

    /// Labels are wording, not evidence: a policy other than the one the extract was issued
    /// under still names the fields, and the rendering says so on stderr.
    func labels(for payload: ExtractPayload) throws -> ExtractLabels {
        guard let policy else {
            if lang != "en" && !output.json {
                Output.error("warning: without --policy DIR, fields and choice values are shown as the extract carries them (English)")
            }
            return ExtractLabels(language: lang)
        }
        let loaded = try PolicyDirectory.load(policy)
        if loaded.version != payload.policyVersion && !output.json {
            Output.error("warning: \(policy) is not the policy the extract was issued under (\(payload.policyVersion.prefix(16)));"
                         + " its labels name the fields all the same")
        }
        if loaded.recordTypes.keys.contains(where: { $0.rawValue == payload.recordType }) == false && !output.json {
            Output.error("warning: \(policy) has no record type \(payload.recordType); fields are shown as the extract carries them")
        }
        return ExtractLabels(loaded, recordType: payload.recordType, language: lang)
    }
}
