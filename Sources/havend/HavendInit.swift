import ArgumentParser
import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenVault

/// `havend init --data DIR --admin-key PUB`: creates a new vault. It lives in the daemon's
/// binary, which links the vault service and SQLite, so that the `haven` client links
/// neither; `haven init` runs this command.
struct HavendInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "havend init",
        abstract: "Create a new vault in an empty directory ('haven init' runs this).",
        discussion: """
            Writes DIR/root.key, or the file given with --root-key (0600: whoever holds it and \
            the data can read every record; keep it off the disk and the backups of the data), \
            DIR/haven.db, and DIR/vault.pub, the public key auditors and courts use to verify \
            logs and extracts offline. Errors are one line on stderr (with --json, \
            {"error": {"code", "message"}}) and exit status 1.
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

    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    var json = false

    static func main(_ arguments: [String]) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch {
            Havend.exit(with: error, from: self)
        }
    }

    /// The name errors are reported under: `haven` when `haven init` ran this, else `havend`.
    static var program: String {
        CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "havend"
    }

    mutating func run() throws {
        do {
            try Sodium.ensureInitialized()
            try create()
        } catch {
            let report = (error as? HavenError).map(ErrorReport.init)
                ?? ErrorReport(code: ErrorCode.internalError.rawValue, message: "\(error)")
            if json {
                FileHandle.standardError.write(Data(report.json()))
            } else {
                FileHandle.standardError.write(Data((report.line(program: Self.program) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }

    private func create() throws {
        let key = try KeyFiles.readPublic(path: adminKey)
        let created = try VaultInitializer.create(
            directory: DataDirectory(data, rootKey: rootKey), adminKey: key, adminName: try UserName(adminName),
            adminRole: try RoleName(adminRole), adminAgency: try AgencyName(adminAgency))
        let d = created.directory
        if json {
            var w = JSONWriter()
            w.object { o in
                o.field("data", d.path)
                o.field("root_key", d.rootKeyPath)
                o.field("vault_id", created.vaultID.rawValue)
                o.field("vault_key_id", created.vaultPublicKey.keyID)
                o.field("vault_public_key", d.vaultPublicKeyPath)
            }
            print(String(decoding: w.bytes, as: UTF8.self))
        } else {
            print("created vault \(created.vaultID) in \(d.path)")
            print("root key: \(d.rootKeyPath) (0600; keep it off backups of the data)")
            print("vault public key: \(d.vaultPublicKeyPath) (key id \(created.vaultPublicKey.keyID))")
            print("first administrator: \(adminName) (role \(adminRole), agency \(adminAgency))")
        }
    }
}
