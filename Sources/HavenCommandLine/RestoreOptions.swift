import ArgumentParser

/// The options of `haven backup restore` and `havend restore`, defined once (as InitOptions):
/// the client runs the daemon's binary, which links the vault service and SQLite.
public struct RestoreOptions: ParsableArguments {
    public static let discussion = """
        Checks the archive's signature, opens it with the vault's root key — given the way the \
        vault was sealed: --root-key FILE, --passphrase-file FILE (or asked on the terminal), or \
        --share FILE once per share up to the threshold — decrypts the snapshot into DIR (new or \
        empty), recomputes its whole audit log, and writes the restore into the log (vault.restore, \
        the first entry after the snapshot's log, with the restore epoch). With --anchor FILE every \
        act journaled beside that anchor since the archive was made (FILE.journal: consent \
        withdrawn, user revoked, key replaced, referral revoked, closed or declined, record erased; and the erasures \
        of FILE.erasures) is applied again in order, each an audit entry naming the original, \
        and the anchor is rewritten to the restored log, so the vault the backup came from can \
        no longer start on it unnoticed. An archive is refused when anything was made after it \
        (the tally beside the anchor counts more records, updates, notes, grants, referrals or \
        users than the archive holds) unless --accept-loss is given; the restore then says what \
        was lost (by count) and what was applied again. An anchor whose journal or tally is \
        missing is refused unless --without-journal is given.
        """

    @Argument(help: ArgumentHelp("The backup archive ('haven backup create').", valueName: "archive"))
    public var archive: String

    @Option(help: ArgumentHelp("The data directory to restore into (must be empty or absent).", valueName: "dir"))
    public var data: String

    @Option(help: ArgumentHelp("The vault's public key (vault.pub), to check the archive against; without it the "
                               + "archive is checked against the key it names.", valueName: "pub"))
    public var vaultKey: String?

    @Option(help: ArgumentHelp("A vault kept in a file: its root key file (havend is then started with --root-key FILE).",
                               valueName: "file"))
    public var rootKey: String?

    @Option(help: ArgumentHelp("A vault sealed under a passphrase: read it from this file's first line (0600).", valueName: "file"))
    public var passphraseFile: String?

    @Option(help: ArgumentHelp("A vault sealed by shares: one custodian's share file; repeat up to the threshold.", valueName: "file"))
    public var share: [String] = []

    @Option(help: ArgumentHelp("A custodian's own key file, to open their sealed --share; repeat for each (any order).",
                               valueName: "file"))
    public var shareKey: [String] = []

    @Option(help: ArgumentHelp("The vault's anchor file: re-apply the acts journaled beside it since the archive, "
                               + "then rewrite it to the restored log.",
                               valueName: "file"))
    public var anchor: String?

    @Flag(help: ArgumentHelp("Restore although work made since the archive is lost (the output counts it); "
                             + "the journaled withdrawals, revocations and erasures are applied again."))
    public var acceptLoss = false

    @Flag(help: ArgumentHelp("Restore although the anchor's journal or tally is missing: no act made since the archive is "
                             + "applied again (put back FILE.journal and FILE.tally from the backup drive instead, if you can)."))
    public var withoutJournal = false

    @Option(help: "The policy directory the restored vault is opened with.")
    public var policy: String = "/etc/haven/policy"

    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    public var json = false

    public init() {}

    public func validate() throws {
        let ways = [rootKey != nil, passphraseFile != nil, !share.isEmpty].filter { $0 }.count
        if ways > 1 { throw ValidationError("give one of --root-key, --passphrase-file and --share") }
    }

    public var arguments: [String] {
        var out = [archive, "--data", data, "--policy", policy]
        if let vaultKey { out += ["--vault-key", vaultKey] }
        if let rootKey { out += ["--root-key", rootKey] }
        if let passphraseFile { out += ["--passphrase-file", passphraseFile] }
        for s in share { out += ["--share", s] }
        for k in shareKey { out += ["--share-key", k] }
        if let anchor { out += ["--anchor", anchor] }
        if acceptLoss { out.append("--accept-loss") }
        if withoutJournal { out.append("--without-journal") }
        if json { out.append("--json") }
        return out
    }
}
