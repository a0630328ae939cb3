import ArgumentParser

/// The options of `haven init` and `havend init`, defined once: the client parses them and
/// runs the daemon's binary, which parses them again and creates the vault. This module
/// holds no vault code, so the client can link it without SQLite or the vault service.
public struct InitOptions: ParsableArguments {
    /// What both commands' help says about the files they write.
    public static let discussion = """
        Writes DIR/root.key, or the file given with --root-key (0600: whoever holds it and \
        the data can read every record; keep it off the disk and the backups of the data), \
        DIR/haven.db, and DIR/vault.pub, the public key auditors and courts use to verify \
        logs and extracts offline.
        """

    @Option(help: ArgumentHelp("The data directory to create (must be empty or absent).", valueName: "dir"))
    public var data: String

    @Option(help: ArgumentHelp("Write the root key here instead of DIR/root.key (it must not exist yet); "
                               + "start havend with the same --root-key.", valueName: "file"))
    public var rootKey: String?

    @Option(help: ArgumentHelp("Public key file of the first administrator.", valueName: "pub"))
    public var adminKey: String

    @Option(help: "The first administrator's user name.")
    public var adminName = "admin"

    @Option(help: "The first administrator's role (must have user.manage in the policy).")
    public var adminRole = "admin"

    @Option(help: "The first administrator's agency.")
    public var adminAgency = "haven"

    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    public var json = false

    public init() {}

    /// The same options as arguments, for the command that runs `havend init`.
    public var arguments: [String] {
        var out = ["--data", data, "--admin-key", adminKey, "--admin-name", adminName, "--admin-role", adminRole,
                   "--admin-agency", adminAgency]
        if let rootKey { out += ["--root-key", rootKey] }
        if json { out.append("--json") }
        return out
    }
}
