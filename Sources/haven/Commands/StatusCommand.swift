import ArgumentParser
import HavenAPI
import HavenClient

/// `haven status`: who you are to the daemon, and the vault's health: release, sealed or
/// not, the audit log's last checkpoint and the anchor's.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the vault and your identity in it.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let s: SessionResponse = try await connection.withClient { try await $0.get("/v1/status") }
        if output.json { Output.json(s); return }
        Output.line("vault   \(s.vaultID)")
        // Which vault answered, and how it was reached: two sites' vaults look alike.
        if case .ssh(let destination) = try connection.address() { Output.line("via     \(destination.url)") }
        Output.line("user    \(s.user) (role \(s.role), agency \(s.agency))")
        Output.line("policy  \(s.policyVersion.prefix(16))")
        if s.restoreEpoch > 0 { Output.line("restore epoch \(s.restoreEpoch) (restored from a backup; 'haven audit log' shows when)") }
        if let release = s.release { Output.line("release \(release)" + (s.sealed == true ? " (sealed)" : " (unsealed)")) }
        if let log = s.auditLog {
            let checkpoint = log.checkpointSize.map { "last checkpoint at \($0)" + (log.checkpointTime.map { ", \($0)" } ?? "") }
            Output.line("audit   \(log.size) entries" + (checkpoint.map { "; \($0)" } ?? "; no checkpoint yet"))
        }
        if let anchor = s.anchor { Output.line("anchor  " + Self.describe(anchor)) }
    }

    static func describe(_ a: AnchorHealth) -> String {
        guard a.configured, let file = a.file else { return "none (havend runs without --anchor)" }
        let holds = a.size.map { "holds the checkpoint at \($0)" } ?? "holds no checkpoint yet"
        switch a.state {
        case "ok": return "\(file): ok, \(holds)" + (a.writtenAt.map { ", written \($0)" } ?? "")
        default:
            return "\(file): FAILING (\(a.error ?? "cannot be written")): changes are refused until it can be written; \(holds)"
        }
    }
}
