import ArgumentParser
import HavenCore

/// The options of `haven init` and `havend init`, defined once: the client parses them and
/// runs the daemon's binary, which parses them again and creates the vault. This module
/// holds no vault code, so the client can link it without SQLite or the vault service.
public struct InitOptions: ParsableArguments {
    /// What both commands' help says about the files they write.
    public static let discussion = """
        Writes DIR/root.key, or the file given with --root-key (0600: whoever holds it and \
        the data can read every record; keep it off the disk and the backups of the data), \
        DIR/haven.db, and DIR/vault.pub, the public key auditors and courts use to verify \
        logs and extracts offline. With --seal passphrase the root key is written sealed \
        under a passphrase (DIR/root.passphrase; one custodian, by nature); with --seal \
        shares it is split into one share per --custodian-key PUB (each custodian's own \
        public key, from 'haven key generate'), any --threshold K of which open the vault, \
        and each share is sealed to its custodian's key before it is written to --share-out \
        DIR, so no one — not the person running this — sees a share in clear \
        (DIR/root.shares keeps their check values and the custodians' public keys). A \
        sealed vault's havend starts sealed, until 'haven operator unseal'.
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

    @Option(help: ArgumentHelp("How to keep the root key: file (opens at start; for a demo), passphrase, or shares.",
                               valueName: "file|passphrase|shares"))
    public var seal: SealMode = .file

    @Option(help: ArgumentHelp("With --seal passphrase: read the passphrase from this file's first line (0600) "
                               + "instead of asking on the terminal.", valueName: "file"))
    public var passphraseFile: String?

    @Option(help: ArgumentHelp("With --seal shares: how many share files to write (2 to 255; default: one per --custodian-key).",
                               valueName: "n"))
    public var shares: Int?

    @Option(help: ArgumentHelp("With --seal shares: a custodian's public key file; repeat once per custodian, in share order.",
                               valueName: "pub"))
    public var custodianKey: [String] = []

    @Option(help: ArgumentHelp("With --seal shares: how many shares open the vault (2 to N).", valueName: "k"))
    public var threshold: Int?

    @Option(help: ArgumentHelp("With --seal shares: the directory to write the share files in, one per custodian.",
                               valueName: "dir"))
    public var shareOut: String?

    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    public var json = false

    public init() {}

    public func validate() throws {
        if seal != .file, rootKey != nil {
            throw ValidationError("--root-key is for --seal file; a sealed vault keeps no root key file")
        }
        if seal != .passphrase, passphraseFile != nil { throw ValidationError("--passphrase-file goes with --seal passphrase") }
        if seal == .shares {
            guard !custodianKey.isEmpty else {
                throw ValidationError("--seal shares needs one --custodian-key PUB per custodian: each share is sealed to its "
                                      + "custodian's key (each custodian makes theirs with 'haven key generate')")
            }
            let shares = self.shares ?? custodianKey.count
            guard shares == custodianKey.count else {
                throw ValidationError("--shares \(shares) but \(custodianKey.count) --custodian-key given: one custodian key per share")
            }
            guard let threshold, shareOut != nil else {
                throw ValidationError("--seal shares needs --threshold K and --share-out DIR")
            }
            guard (2...255).contains(shares), (2...shares).contains(threshold) else {
                throw ValidationError("--shares must be from 2 to 255 and --threshold from 2 to --shares")
            }
        } else if shares != nil || threshold != nil || shareOut != nil || !custodianKey.isEmpty {
            throw ValidationError("--shares, --threshold, --custodian-key and --share-out go with --seal shares")
        }
    }

    /// The same options as arguments, for the command that runs `havend init`.
    public var arguments: [String] {
        var out = ["--data", data, "--admin-key", adminKey, "--admin-name", adminName, "--admin-role", adminRole,
                   "--admin-agency", adminAgency]
        if let rootKey { out += ["--root-key", rootKey] }
        out += ["--seal", seal.rawValue]
        if let passphraseFile { out += ["--passphrase-file", passphraseFile] }
        if let shares { out += ["--shares", String(shares)] }
        if let threshold, let shareOut { out += ["--threshold", String(threshold), "--share-out", shareOut] }
        for k in custodianKey { out += ["--custodian-key", k] }
        if json { out.append("--json") }
        return out
    }
}

extension SealMode: ExpressibleByArgument {}
