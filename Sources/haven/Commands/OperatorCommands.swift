import ArgumentParser
import Glibc
import HavenAPI
import HavenClient
import HavenCommandLine
import HavenCore
import HavenCrypto

/// `haven operator …`: the root key's custody — unsealing, sealing, and the seal's state.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Unseal, seal or rotate the vault's root key, and show whether it is sealed.",
        subcommands: [OperatorUnseal.self, OperatorSeal.self, OperatorStatus.self, OperatorRotateRoot.self])
}

/// `haven operator unseal [--share FILE | --passphrase-file FILE]`: one custodian's part.
struct OperatorUnseal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unseal", abstract: "Offer a share, or the passphrase, to a sealed vault.",
        discussion: """
            Needs no key: a sealed vault can authenticate no one. A share counts only if it is one \
            of this vault's current shares; each custodian runs this with their own, and the vault \
            opens when enough are in. Without --share or --passphrase-file the passphrase is asked \
            on the terminal. Every attempt is audited, with the local user who made it, once the \
            vault is open. Exit status 0 when the offer was taken (even if more shares are needed), \
            3 for a wrong passphrase, 1 for a share that is not this vault's.
            """)

    @Option(help: ArgumentHelp("Your share file.", valueName: "file")) var share: String?
    @Option(help: ArgumentHelp("Read the passphrase from this file's first line (0600).", valueName: "file"))
    var passphraseFile: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if share != nil && passphraseFile != nil { throw ValidationError("give --share or --passphrase-file, not both") }
    }

    func run() async throws {
        let request: UnsealRequest
        if let share {
            // Checked here first, so a damaged file is named by its path before it is sent.
            let file = try ShareFile(bytes: try KeyFiles.readSecret(kind: .rootKeyShare, path: share), what: share)
            request = UnsealRequest(share: file.bytes.withUnsafeBytes { Base64.encode(Array($0)) })
        } else {
            var bytes: [UInt8]
            do {
                if let passphraseFile {
                    bytes = try PassphraseInput.read(file: passphraseFile)
                } else {
                    let status: SealStatus = try await connection.withAnonymousClient { try await $0.get("/v1/operator/seal") }
                    guard status.sealed else { return report(status) }
                    guard status.seal == SealMode.passphrase.rawValue else {
                        throw ValidationError("this vault is sealed by shares: give --share FILE")
                    }
                    bytes = try PassphraseInput.prompt("Passphrase of vault \(status.vaultID.prefix(8)): ", confirm: false)
                }
            } catch let e as PassphraseInput.Failure {
                throw HavenError(.invalidValue, e.description)
            }
            defer { PassphraseInput.wipe(&bytes) }
            request = UnsealRequest(passphrase: String(decoding: bytes, as: UTF8.self))
        }
        let status: SealStatus = try await connection.withAnonymousClient { try await $0.post("/v1/operator/unseal", request) }
        report(status)
    }

    private func report(_ status: SealStatus) {
        if output.json { Output.json(status); return }
        Output.line(status.sealed ? status.summary : "unsealed: vault \(status.vaultID) is open")
    }
}

/// `haven operator seal`: an administrator closes the vault and wipes its keys from memory.
struct OperatorSeal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal", abstract: "Seal the vault: the daemon wipes its keys and serves nothing until unsealed.",
        discussion: "Needs key.manage (the admin role). Every open session ends. Audited as vault.seal, the last entry before the seal.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let status: SealStatus = try await connection.withClient { try await $0.post("/v1/operator/seal") }
        if output.json { Output.json(status); return }
        Output.line("\(status.summary); custodians unseal it with 'haven operator unseal'")
    }
}

/// `haven operator status`: sealed or not, and how far unsealing has come (needs no key).
struct OperatorStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show whether the vault is sealed and how many shares are in (needs no key).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let status: SealStatus = try await connection.withAnonymousClient { try await $0.get("/v1/operator/seal") }
        if output.json { Output.json(status); return }
        Output.line("vault \(status.vaultID): \(status.summary)")
    }
}

/// `haven operator rotate-root`: a new root key for the vault (admin).
struct OperatorRotateRoot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-root", abstract: "Give the vault a new root key, sealed the way the vault is sealed (admin).",
        discussion: """
            The daemon closes the vault (requests answer 'sealed' for the while), wraps every data key \
            again, tags every audit entry again and seals the signing key again under the new key in one \
            transaction, puts the new key's file in place and opens the vault again: a crash at any moment \
            leaves the old key or the new one opening it, never neither. A rotation needs the vault's \
            custody, not only the admin role: a vault kept in a file gets a new root key file; under a \
            passphrase, the current one (--current-passphrase-file, or asked) must be given, and the new key \
            is sealed under --passphrase-file's (or the one asked twice; it may be the same); by shares, \
            the custodians' current shares (--share, once each, at least the threshold) must be given, and \
            the new shares are written to --share-out before the rotation is committed — the old ones \
            stop counting. The person running it sees every new share, as at 'haven init'. \
            Backups made before keep opening only with the old key: keep it (or the old shares) with them. \
            Progress is shown on a terminal.
            """)

    @Option(help: ArgumentHelp("Under a passphrase: the passphrase to seal the new key under (0600 file).", valueName: "file"))
    var passphraseFile: String?
    @Option(help: ArgumentHelp("Under a passphrase: the current passphrase (0600 file); asked if not given.", valueName: "file"))
    var currentPassphraseFile: String?
    @Option(help: ArgumentHelp("By shares: a custodian's current share; repeat up to the threshold.", valueName: "file"))
    var share: [String] = []
    @Option(help: ArgumentHelp("By shares: how many new shares (default: as many as now).", valueName: "n")) var shares: Int?
    @Option(help: ArgumentHelp("By shares: how many open the vault (default: as now).", valueName: "k")) var threshold: Int?
    @Option(help: ArgumentHelp("By shares: the directory to write the new share files in.", valueName: "dir")) var shareOut: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let status: SealStatus = try await connection.withAnonymousClient { try await $0.get("/v1/operator/seal") }
        var request = RotateRequest()
        var written = [String]()
        switch SealMode(rawValue: status.seal) {
        case .passphrase:
            var current: [UInt8], bytes: [UInt8]
            do {
                current = try currentPassphraseFile.map { try PassphraseInput.read(file: $0) }
                    ?? PassphraseInput.prompt("Current passphrase of the vault: ", confirm: false)
                bytes = try passphraseFile.map { try PassphraseInput.read(file: $0) }
                    ?? PassphraseInput.prompt("New passphrase for the vault's root key: ", confirm: true, minimumLength: 12)
            } catch let e as PassphraseInput.Failure {
                throw HavenError(.invalidValue, e.description)
            }
            defer {
                PassphraseInput.wipe(&bytes)
                PassphraseInput.wipe(&current)
            }
            request = RotateRequest(passphrase: String(decoding: bytes, as: UTF8.self), currentPassphrase: String(decoding: current, as: UTF8.self))
        case .shares:
            guard let shareOut else { throw ValidationError("this vault is sealed by shares: give --share-out DIR for the new shares") }
            guard share.count >= (status.threshold ?? 2) else {
                throw ValidationError("a rotation needs \(status.threshold ?? 2) of the current shares: give --share FILE for each")
            }
            // Read and checked before anything is split: a damaged share is named by its path.
            let current = try share.map { path in
                try ShareFile(bytes: try KeyFiles.readSecret(kind: .rootKeyShare, path: path), what: path).bytes.withUnsafeBytes { Base64.encode(Array($0)) }
            }
            let split: RotateAnswer = try await connection.withClient {
                try await $0.post("/v1/operator/rotate", RotateRequest(shares: shares ?? status.shares, threshold: threshold ?? status.threshold))
            }
            guard let id = split.pending, let files = split.shareFiles else { throw HavenError(.internalError, "the daemon sent no shares") }
            written = try Self.writeShares(files, vault: split.vaultID, id: id, into: shareOut)
            request = RotateRequest(commit: id, currentShares: current)
        default:
            break
        }
        let connection = self.connection
        let body = request
        let answer: RotateAnswer = try await withThrowingTaskGroup(of: RotateAnswer?.self) { group in
            group.addTask { try await connection.withClient { try await $0.post("/v1/operator/rotate", body) } }
            group.addTask { try await Self.showProgress(connection); return nil }
            var result: RotateAnswer?
            for try await r in group {
                if let r { result = r; group.cancelAll() }
            }
            return result!
        }
        if output.json { Output.json(answer); return }
        Output.line("rotated the root key of vault \(answer.vaultID): \(answer.records ?? 0) data keys wrapped again, "
                    + "\(answer.entries ?? 0) audit entries")
        for f in written { Output.line("  new share: \(f) (give each to one custodian; the old shares no longer open the vault)") }
    }

    /// The new share files, each created 0600 and flushed before the rotation is committed.
    static func writeShares(_ files: [String], vault: String, id: String, into dir: String) throws -> [String] {
        // Names come from the daemon's answer: only hex goes into a path.
        let hex = { (s: String) in !s.isEmpty && s.allSatisfy(\.isHexDigit) }
        guard hex(vault), hex(id) else { throw HavenError(.invalidDocument, "the daemon's answer names no vault or rotation") }
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw HavenError(.ioError, "cannot create \(dir)") }
        var paths = [String]()
        for (i, base64) in files.enumerated() {
            guard let bytes = Base64.decode(base64) else { throw HavenError(.invalidDocument, "the daemon sent a damaged share") }
            let secure = try SecureBytes(count: bytes.count) { $0.copyBytes(from: bytes) }
            let path = dir + "/\(vault.prefix(8))-share-\(i + 1)-of-\(files.count)-\(id.prefix(6)).key"
            try secure.withUnsafeBytes { raw in
                try KeyFileFormat.encode(kind: .rootKeyShare, key: raw).withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
            }
            paths.append(path)
        }
        return paths
    }

    /// Polls the seal status on a terminal and shows how far the rotation is.
    static func showProgress(_ connection: ConnectionOptions) async throws {
        guard isatty(2) == 1 else { return }
        var progress: Progress?
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            guard let s: SealStatus = try? await connection.withAnonymousClient({ try await $0.get("/v1/operator/seal") }),
                  let r = s.rotating, r.count == 2 else { continue }
            if progress == nil { progress = Progress(label: "rotating the root key (rows)", total: UInt64(r[1])) }
            progress?.update(UInt64(r[0]))
        }
    }
}
