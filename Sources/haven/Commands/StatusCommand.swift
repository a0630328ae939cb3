import ArgumentParser
import HavenAPI

/// `haven status`: who you are to the daemon.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the vault and your identity in it.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let s: SessionResponse = try await connection.withClient { try await $0.get("/v1/status") }
        if output.json { Output.json(s); return }
        Output.line("vault   \(s.vaultID)")
        Output.line("user    \(s.user) (role \(s.role), agency \(s.agency))")
        Output.line("policy  \(s.policyVersion.prefix(16))")
        if s.restoreEpoch > 0 { Output.line("restore epoch \(s.restoreEpoch) (restored from a backup; 'haven audit log' shows when)") }
    }
}
