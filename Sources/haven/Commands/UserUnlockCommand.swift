import ArgumentParser
import HavenAPI
import HavenClient

/// `haven user unlock NAME`: the user's authentication lockouts lifted at once.
struct UserUnlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock", abstract: "Lift a user's lockout after failed authentications.",
        discussion: """
            Failed authentications lock out one peer uid's attempts with the user's key, for \
            --auth-lockout-seconds. This lifts every such lockout of the user's key, from every uid, and is audited.
            """)

    @Argument(help: "User name.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let answer: UnlockUserResponse = try await connection.withClient {
            try await $0.post("/v1/users/\(HavenClient.escape(name))/unlock")
        }
        if output.json { Output.json(answer); return }
        Output.line("unlocked \(answer.user) (key \(answer.keyID)): \(answer.lockoutsLifted) lockout\(answer.lockoutsLifted == 1 ? "" : "s") lifted")
    }
}
