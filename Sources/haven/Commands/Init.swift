import ArgumentParser
import HavenCore
import HavenCrypto
import HavenVault

/// `haven init --data DIR --admin-key PUB`: create a new vault.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new vault in an empty directory.",
        discussion: """
            Writes DIR/root.key, or the file given with --root-key (0600: whoever holds it and \
            the data can read every record; keep it off the disk and the backups of the data), \
            DIR/haven.db, and DIR/vault.pub, the public key auditors and courts use to verify \
            logs and extracts offline.
            """)

    @Option(help: ArgumentHelp("The data directory to create (must be empty or absent).", valueName: "dir"))
    var data: String

    @Option(help: ArgumentHelp("Write the root key here instead of DIR/root.key (it must not exist yet); "
                               + "start havend with the same --root-key.", valueName: "file"))
    var rootKey: String?

    @Option(help: ArgumentHelp("Public key file of the first administrator.", valueName: "pub"))
    var adminKey: String

    @Option(help: "The first administrator's user name.")
    var adminName = "admin"

    @Option(help: "The first administrator's role (must have user.manage in the policy).")
    var adminRole = "admin"

    @Option(help: "The first administrator's agency.")
    var adminAgency = "haven"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: adminKey)
        let created = try VaultInitializer.create(
            directory: DataDirectory(data, rootKey: rootKey), adminKey: key, adminName: try UserName(adminName),
            adminRole: try RoleName(adminRole), adminAgency: try AgencyName(adminAgency))
        if output.json {
            Output.json(["vault_id": created.vaultID.rawValue, "vault_key_id": created.vaultPublicKey.keyID,
                         "data": created.directory.path, "vault_public_key": created.directory.vaultPublicKeyPath])
        } else {
            Output.line("created vault \(created.vaultID) in \(created.directory.path)")
            Output.line("root key: \(created.directory.rootKeyPath) (0600; keep it off backups of the data)")
            Output.line("vault public key: \(created.directory.vaultPublicKeyPath) (key id \(created.vaultPublicKey.keyID))")
            Output.line("first administrator: \(adminName) (role \(adminRole), agency \(adminAgency))")
        }
    }
}
