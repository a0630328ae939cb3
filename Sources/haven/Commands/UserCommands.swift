import ArgumentParser
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Enrol, list, rekey, revoke and unlock users (administrators).",
                                                    subcommands: [UserAdd.self, UserList.self, UserRekey.self, UserRevoke.self, UserUnlock.self])
}

/// `haven user add NAME --role ROLE --agency AGENCY --public-key FILE [--uid N]`.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Enrol a user with a role and public key.")

    @Argument(help: "User name (a-z, 0-9, '.', '_', '-').") var name: String
    @Option(help: "Role from the policy in force.", completion: PolicyCompletion.roles) var role: String
    @Option(help: "The user's agency.", completion: PolicyCompletion.agencies) var agency: String
    @Option(help: ArgumentHelp("The user's public key file (from 'haven key generate').", valueName: "file")) var publicKey: String
    @Option(help: "Unix uid the user must connect from (checked with SO_PEERCRED).") var uid: UInt32?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: publicKey)
        let body = AddUserRequest(name: name, role: role, agency: agency, publicKey: KeyFileFormat.encodePublic(key), uid: uid)
        let user: UserSummary = try await connection.withClient { try await $0.post("/v1/users", body) }
        if output.json { Output.json(user); return }
        Output.line("enrolled \(user.name) (role \(user.role), agency \(user.agency), key \(user.keyID)\(user.uid.map { ", uid \($0)" } ?? ""))")
    }
}

/// `haven user list`.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List enrolled users.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let list: UserListResponse = try await connection.withClient { try await $0.get("/v1/users") }
        if output.json { Output.json(list); return }
        Output.table(["NAME", "ROLE", "AGENCY", "KEY", "UID", "STATUS"],
                     list.users.map { [$0.name, $0.role, $0.agency, $0.keyID, $0.uid.map(String.init) ?? "-", $0.status] })
    }
}

/// `haven user revoke NAME`: effective on the user's very next request.
struct UserRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a user at once.")

    @Argument(help: "User name.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let user: UserSummary = try await connection.withClient {
            try await $0.post("/v1/users/\(HavenClient.escape(name))/revoke")
        }
        if output.json { Output.json(user); return }
        Output.line("revoked \(user.name) at \(user.revokedAt ?? "?")")
    }
}
