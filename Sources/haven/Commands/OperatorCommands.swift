import ArgumentParser
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenProvisioning

/// `haven operator …`: the root key's custody — unsealing, sealing, and the seal's state.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Unseal or seal the vault, and show whether it is sealed.",
        subcommands: [OperatorUnseal.self, OperatorSeal.self, OperatorStatus.self])
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
