import ArgumentParser
import Foundation
import HavenAPI
import HavenAudit
import HavenClient
import HavenCore
import HavenCrypto

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read, verify and export the tamper-evident audit log (auditors).",
        subcommands: [AuditLog.self, AuditVerify.self, AuditExportCommand.self, AuditSummary.self, AuditCheckpoint.self,
                      AuditConsistency.self, AuditSearches.self])
}

/// `haven audit log [--record ID] [--user NAME] [--since TIME] [--denied] [--break-glass] …`.
struct AuditLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show audit entries, newest first.",
        discussion: """
            Sessions opened (one per CLI call) are left out unless --sessions; failed authentications always \
            show. The last line says how many more entries match (counted up to 10,000) and how to see them. \
            --json prints {"entries": […], "next": SEQ, "remaining": N}, without "next" on the last page.
            """)

    @Option(help: "Only entries about this record.") var record: String?
    @Option(help: "Only entries by this user.") var user: String?
    @Option(help: "From this date or RFC 3339 time.") var since: String?
    @Option(help: "Before this date or RFC 3339 time.") var until: String?
    @Flag(help: "Only denied requests.") var denied = false
    @Flag(help: "Only break-glass accesses.") var breakGlass = false
    @Flag(help: "Include the auth.session entry of every session opened.") var sessions = false
    @Flag(help: "Oldest entries first.") var oldestFirst = false
    @Option(help: "Newest first: only entries before this sequence number (the cursor the last line gives).") var before: UInt64?
    @Option(help: "Oldest first: only entries after this sequence number.") var after: UInt64?
    @Option(help: "At most this many entries.") var limit: Int = 100
    @Flag(help: "Every matching entry, whatever --limit says.") var all = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if before != nil && (after != nil || oldestFirst) { throw ValidationError("--before pages newest first; --after and --oldest-first page the other way") }
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() async throws {
        let oldest = oldestFirst || after != nil
        var query = ["order=\(oldest ? "oldest" : "newest")"]
        if let record { query.append("record=\(HavenClient.escape(record))") }
        if let user { query.append("user=\(HavenClient.escape(user))") }
        if let since { query.append("since=\(HavenClient.escape(since))") }
        if let until { query.append("until=\(HavenClient.escape(until))") }
        if denied { query.append("denied=true") }
        if breakGlass { query.append("break_glass=true") }
        if !sessions { query.append("sessions=false") }
        let wanted = all ? Int.max : limit
        let result: AuditLogResponse = try await connection.withClient { client in
            var out = [AuditEntryView]()
            var cursor = oldest ? after : before
            var last: AuditLogResponse
            repeat {
                var q = query + ["limit=\(min(wanted - out.count, Haven.auditPage))"]
                if let c = cursor { q.append("\(oldest ? "after" : "before")=\(c)") }
                last = try await client.get("/v1/audit/entries?" + q.joined(separator: "&"))
                // A daemon older than this client ignores order=newest and would page forever.
                guard oldest || last.remaining != nil else {
                    throw HavenError(.unavailable, "havend is older than this haven and cannot page the log newest first",
                                     hint: "use --oldest-first, or upgrade havend")
                }
                out += last.entries
                cursor = last.next
            } while cursor != nil && out.count < wanted
            return AuditLogResponse(entries: out, next: last.next, remaining: last.remaining)
        }
        if output.json { Output.json(result); return }
        Output.table(["SEQ", "TIME", "USER", "ROLE", "ACTION", "RECORD", "DECISION", "PURPOSE", "RULE"], result.entries.map { e in
            [String(e.seq), e.time, e.actor?.user ?? "-", e.actor?.role ?? "-",
             e.action + (e.breakGlass.map { " [BREAK-GLASS: \($0)]" } ?? "") + Self.referral(e) + Self.bridged(e), e.record ?? "-",
             e.decision + (e.outcome == "ok" || e.outcome == "denied" ? "" : " (\(e.outcome))"), e.purpose ?? Self.asked(e) ?? "-", e.rule]
        })
        if let next = result.next, let remaining = result.remaining, remaining > 0 {
            Output.more(remaining, option: oldest ? "--after" : "--before", cursor: String(next))
        }
        // An empty table alone reads as "nothing happened"; say what was looked in.
        if result.entries.isEmpty, let user { Output.line("no entries for \(user) in \(scope)") }
    }

    /// The part of the log looked in, as the filters other than --user name it.
    var scope: String {
        var words = [denied ? "the denied entries" : breakGlass ? "the break-glass entries" : "the log"]
        if let record { words.append("about record \(record)") }
        if let since { words.append("since \(since)") }
        if let until { words.append("before \(until)") }
        if before != nil || after != nil { words.append("on this page") }
        if !sessions { words.append("(sessions opened left out; --sessions shows them)") }
        return words.joined(separator: " ")
    }
}

extension AuditLog {
    /// What a statistics query asked for, where a read would show its purpose: the auditor
    /// sees who counted what without --json.
    static func asked(_ e: AuditEntryView) -> String? {
        guard e.action == "stats.read", let dimensions = e.detail["dimensions"], let period = e.detail["period"] else { return nil }
        return "by \(dimensions), \(period)"
    }

    /// How an entry's connection came, when it came through the SSH bridge: the address is
    /// only what the bridge reported, and the line says so.
    static func bridged(_ e: AuditEntryView) -> String {
        guard let via = e.detail["via"] else { return "" }
        guard let from = e.detail["reported_from"], from != "unknown" else { return " via \(via) (no address reported)" }
        return " via \(via) from \(from) (reported)"
    }

    /// Which referral a referral step concerns, so `audit log --record ID` reads as the
    /// chain: made (for what, to whom), accepted (and assigned), declined, revoked, closed.
    static func referral(_ e: AuditEntryView) -> String {
        guard e.action.hasPrefix("referral."), let ref = e.detail["referral"] else { return "" }
        var words = " \(ref)"
        if let service = e.detail["service"], let to = e.detail["to"] { words += " (\(service) → \(to))" }
        if let assigned = e.detail["assigned"] { words += " (assigned \(assigned))" }
        return words
    }
}

/// `haven audit verify` (through the daemon) or `haven audit verify --file FILE --vault-key PUB` (offline).
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the whole log and check it against the signed checkpoints; exit 1 naming the first bad entry.",
        discussion: "With --file, verifies an export offline: no daemon and no secret, only the vault's public key.")

    @Option(help: ArgumentHelp("An export made by 'haven audit export' (offline verification).", valueName: "file"))
    var file: String?
    @Option(help: ArgumentHelp("The vault's public key (DIR/vault.pub), for --file.", valueName: "pub")) var vaultKey: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (file == nil) != (vaultKey == nil) { throw ValidationError("--file and --vault-key go together") }
        if file != nil {
            try connection.refuseHost(command: "audit verify --file", because: "checks an export on this machine, offline", environmentToo: false)
        }
    }

    func run() async throws {
        let report: VerificationReport
        var subject = "the vault's audit log"
        if let file, let vaultKey {
            report = try Self.verifyOffline(file: file, vaultKey: try KeyFiles.readPublic(path: vaultKey))
            subject = file
        } else {
            report = try await connection.withClient { try await $0.post("/v1/audit/verify") }
        }
        if output.json { Output.json(report) } else { Self.print(report, subject: subject) }
        if !report.ok { throw ExitCode(ExitStatus.error.rawValue) }
    }

    static func verifyOffline(file: String, vaultKey: PublicKey) throws -> VerificationReport {
        var verifier = AuditExportVerifier(vaultKey: vaultKey)
        var progress: Progress?
        var lines: UInt64 = 0
        var failure: HavenError?
        try LineReader(path: file).forEachLine { line in
            guard failure == nil else { return }
            do throws(HavenError) {
                try verifier.consume(line: line)
            } catch {
                failure = error
            }
            lines += 1
            if progress == nil, let h = verifier.header { progress = Progress(label: "verifying", total: h.entries) }
            if lines % 4096 == 0, var p = progress {
                p.update(min(lines, p.total))
                progress = p
            }
        }
        if let failure { throw failure }
        if var p = progress { p.update(p.total) }
        return verifier.finish()
    }

    static func print(_ r: VerificationReport, subject: String) {
        if r.ok {
            Output.line("ok: \(subject): \(r.entries) entries recomputed; \(r.checkpoints) signed checkpoints verified; "
                        + "entries 0..\(Int64(r.verifiedSize) - 1) are covered by a verified signature"
                        + (r.unsignedTail > 0 ? "; the last \(r.unsignedTail) are chained but not yet signed" : ""))
            return
        }
        Output.line("FAILED: \(subject): \(r.problems.count) problem(s); first bad entry: "
                    + (r.firstBadSeq.map { "seq \($0)" } ?? "none (a checkpoint is bad)"))
        for p in r.problems { Output.line("  \(p.message)") }
    }
}

/// `haven audit export --out FILE [--from SEQ]`.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write entries, signed checkpoints and proofs to a file anyone can verify offline with the vault's public key.")

    @Option(help: ArgumentHelp("The file to write (mode 0600; it names users, records and purposes).", valueName: "file"))
    var out: String
    @Option(help: "First sequence number to include (default 0: the whole log).") var from: UInt64 = 0
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (lines, header) = try await connection.withClient { client in try await Self.collect(client, from: from) }
        try Self.write(lines, to: out)
        if output.json {
            Output.json(AuditExported(file: out, from: header.from, size: header.size, checkpoints: header.checkpoints))
            return
        }
        Output.line("wrote \(out): entries \(header.from)..\(Int64(header.size) - 1), \(header.checkpoints) signed checkpoints")
    }

    static func collect(_ client: HavenClient, from: UInt64) async throws -> ([[UInt8]], AuditExport.Header) {
        // A checkpoint now, so the file ends signed.
        let made: CheckpointsResponse = try await client.post("/v1/audit/checkpoints")
        guard let last = made.checkpoints.first else { throw HavenError(.internalError, "no checkpoint was made") }
        let size = last.checkpoint.size
        guard from <= size else { throw HavenError(.invalidValue, "the log has only \(size) entries") }
        let cps: CheckpointsResponse = try await client.get("/v1/audit/checkpoints?from_size=\(from + 1)&to_size=\(size)")
        var checkpoints = cps.checkpoints.sorted { $0.checkpoint.size < $1.checkpoint.size }
        if checkpoints.last?.checkpoint.size != size { checkpoints.append(last) }
        var consistency = [AuditExport.Consistency]()
        if let first = checkpoints.first, first.checkpoint.size < size {
            let p: ConsistencyProofResponse = try await client.get("/v1/audit/proofs/consistency?from=\(first.checkpoint.size)&to=\(size)")
            consistency.append(AuditExport.Consistency(from: p.from, to: p.to, proof: p.proof.compactMap { Base64.decode($0) }))
        }
        var prefix = [[UInt8]]()
        var previous: [UInt8]?
        if from > 0 {
            let p: PrefixResponse = try await client.get("/v1/audit/prefix?size=\(from)")
            prefix = p.prefix.compactMap { Base64.decode($0) }
            previous = p.previousLeaf.flatMap { Hex.decode($0) }
        }
        let session: SessionResponse = try await client.get("/v1/status")
        let header = AuditExport.Header(vault: try VaultID(session.vaultID), vaultKeyID: last.keyID, from: from, size: size,
                                        prefix: prefix, previousLeaf: previous, checkpoints: checkpoints.count,
                                        consistency: consistency.count)
        var lines = [header.line()] + checkpoints.map { $0.canonicalJSON() } + consistency.map { $0.line() }
        var progress = Progress(label: "exporting", total: size - from)
        var next = from
        while next < size {
            let page: AuditRawResponse = try await client.get("/v1/audit/raw?from=\(next)&limit=\(min(UInt64(Haven.auditPage), size - next))")
            guard !page.entries.isEmpty else { throw HavenError(.integrityError, "the log has no entry \(next)") }
            lines += page.entries.map { Array($0.utf8) }
            next += UInt64(page.entries.count)
            progress.update(next - from)
        }
        return (lines, header)
    }

    static func write(_ lines: [[UInt8]], to path: String) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for l in lines { bytes += l; bytes.append(UInt8(ascii: "\n")) }
        try bytes.withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600, what: "an exported log") }
    }
}

/// `haven audit summary [--since TIME] [--until TIME]`.
struct AuditSummary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary",
                                                    abstract: "Reads per user, denials and break-glass uses over a period.")

    @Option(help: "From this date or RFC 3339 time.") var since: String?
    @Option(help: "Before this date or RFC 3339 time.") var until: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var q = [String]()
        if let since { q.append("since=\(HavenClient.escape(since))") }
        if let until { q.append("until=\(HavenClient.escape(until))") }
        let s: AuditSummaryResponse = try await connection.withClient { try await $0.get("/v1/audit/summary?" + q.joined(separator: "&")) }
        if output.json { Output.json(s); return }
        Output.line("period: \(s.since ?? "beginning") to \(s.until ?? "now")")
        Output.table(["USER", "ROLE", "REQUESTS", "RECORD READS", "DENIED", "BREAK-GLASS", "EXTRACTS"], s.users.map {
            [$0.user, $0.role ?? "-", String($0.requests), String($0.reads), String($0.denied), String($0.breakGlass), String($0.extracts)]
        })
    }
}

/// `haven audit checkpoint [--out FILE]`: sign the log now; keep the file to check later
/// that the log still extends it (`haven audit consistency`).
struct AuditCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Have the vault sign a checkpoint of its log now.")

    @Option(help: ArgumentHelp("Save the signed checkpoint to this file.", valueName: "file")) var out: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let made: CheckpointsResponse = try await connection.withClient { try await $0.post("/v1/audit/checkpoints") }
        guard let cp = made.checkpoints.first else { throw HavenError(.internalError, "no checkpoint was made") }
        if let out {
            let bytes = cp.canonicalJSON() + [UInt8(ascii: "\n")]
            try bytes.withUnsafeBytes { try KeyFiles.create(path: out, contents: $0, mode: 0o644, what: "a checkpoint file") }
        }
        if output.json { Output.json(cp); return }
        Output.line("checkpoint: vault \(cp.checkpoint.vault), size \(cp.checkpoint.size), root \(Base64.encode(cp.checkpoint.root)), "
                    + "time \(cp.checkpoint.time.rfc3339), key \(cp.keyID)")
    }
}

/// `haven audit consistency --checkpoint FILE --vault-key PUB`: prove the log today extends
/// a checkpoint saved earlier, i.e. nothing before it was changed or removed since.
struct AuditConsistency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency", abstract: "Check that the current log extends a checkpoint saved earlier.")

    @Option(help: ArgumentHelp("A checkpoint saved with 'haven audit checkpoint --out'.", valueName: "file")) var checkpoint: String
    @Option(help: ArgumentHelp("The vault's public key (DIR/vault.pub).", valueName: "pub")) var vaultKey: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: vaultKey)
        let old = try SignedCheckpoint(json: try KeyFiles.readSmallFile(checkpoint).filter { $0 != UInt8(ascii: "\n") })
        try old.verify(with: key)
        let p: ConsistencyProofResponse = try await connection.withClient {
            try await $0.get("/v1/audit/proofs/consistency?from=\(old.checkpoint.size)")
        }
        try p.newCheckpoint.verify(with: key, vault: old.checkpoint.vault)
        let proof = p.proof.compactMap { Base64.decode($0) }
        let consistent = proof.count == p.proof.count && p.from == old.checkpoint.size
            && MerkleProofs.verifyConsistency(oldSize: old.checkpoint.size, oldRoot: old.checkpoint.root,
                                              newSize: p.newCheckpoint.checkpoint.size, newRoot: p.newCheckpoint.checkpoint.root,
                                              proof: proof)
        if output.json {
            Output.json(ConsistencyResult(consistent: consistent, checkpointSize: old.checkpoint.size,
                                          checkpointTime: old.checkpoint.time.rfc3339, currentSize: p.newCheckpoint.checkpoint.size,
                                          currentTime: p.newCheckpoint.checkpoint.time.rfc3339))
            if !consistent { throw ExitCode(ExitStatus.error.rawValue) }
            return
        }
        guard consistent else {
            Output.line("FAILED: the log at size \(p.newCheckpoint.checkpoint.size) does not extend the checkpoint at size "
                        + "\(old.checkpoint.size) (\(old.checkpoint.time.rfc3339)): its history was rewritten")
            throw ExitCode(ExitStatus.error.rawValue)
        }
        Output.line("ok: the log at size \(p.newCheckpoint.checkpoint.size) (\(p.newCheckpoint.checkpoint.time.rfc3339)) extends "
                    + "the checkpoint at size \(old.checkpoint.size) (\(old.checkpoint.time.rfc3339))")
    }
}
