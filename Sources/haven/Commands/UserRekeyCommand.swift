import ArgumentParser
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto

/// `haven user rekey NAME --public-key FILE`: a lost or leaked key replaced.
struct UserRekey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey", abstract: "Replace a user's key; sessions opened with the old key end at their next request.",
        discussion: "The user makes the new key pair themselves ('haven key generate') and hands over only FILE.pub.")

    @Argument(help: "User name.") var name: String
    @Option(help: ArgumentHelp("The user's new public key file.", valueName: "file")) var publicKey: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: publicKey)
        let user: UserSummary = try await connection.withClient {
            try await $0.post("/v1/users/\(HavenClient.escape(name))/rekey", RekeyUserRequest(publicKey: KeyFileFormat.encodePublic(key)))
        }
        if output.json { Output.json(user); return }
        Output.line("rekeyed \(user.name): key \(user.keyID); sessions opened with the old key end at their next request")
    }
}
