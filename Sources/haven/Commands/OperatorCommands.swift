import ArgumentParser
import Glibc
import HavenAPI
import HavenClient
import HavenCommandLine
import HavenCore
import HavenCrypto
import Foundation

/// `haven operator …`: the root key's custody — unsealing, sealing, and the seal's state.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Unseal, seal or rotate the vault's root key, and show whether it is sealed.",
        subcommands: [OperatorUnseal.self, OperatorSeal.self, OperatorStatus.self, OperatorRotateRoot.self])
}

/// `haven operator unseal [--share FILE --key KEY | --passphrase-file FILE]`: one custodian's part.
struct OperatorUnseal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unseal", abstract: "Offer a share, or the passphrase, to a sealed vault.",
        discussion: """
            Needs no session: a sealed vault can authenticate no one. A share counts only if it is one \
            of this vault's current shares; each custodian runs this with their own, and the vault \
            opens when enough are in. A share sealed to its custodian (what 'haven init' and \
            'rotate-root' write) is opened here, on the custodian's machine, with their own key \
            (--key, or $HAVEN_KEY); the daemon gets the share alone. A share file from before \
            custodian keys is sent as it is. Without --share or --passphrase-file the passphrase is \
            asked on the terminal. Every attempt is audited, with the local user who made it, once \
            the vault is open. Exit status 0 when the offer was taken (even if more shares are \
            needed), 3 for a wrong passphrase, 1 for a share that is not this vault's.
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
            // Opened and checked here first, so a damaged or foreign file is named by its path.
            let file = try RootShareInput.open(share, connection: connection)
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
                        throw ValidationError("this vault is sealed by shares: give --share FILE --key KEY")
                    }
                    bytes = try PassphraseInput.prompt("Passphrase of the vault: ", confirm: false)
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
        Output.line(status.sealed ? status.summary : "unsealed: the vault is open")
    }
}

/// A custodian's share file, read and (if sealed) opened with their own key.
enum RootShareInput {
    static func open(_ path: String, connection: ConnectionOptions) throws -> ShareFile {
        try StoredShare.read(path: path).open(what: path) { () throws(HavenError) -> SigningKey in
            try custodianKey(connection)
        }
    }

    /// The custodian's own key: --key, else $HAVEN_KEY.
    static func custodianKey(_ connection: ConnectionOptions) throws(HavenError) -> SigningKey {
        guard let path = connection.key ?? ProcessInfo.processInfo.environment["HAVEN_KEY"], !path.isEmpty else {
            throw HavenError(.invalidKey, "this share is sealed to its custodian's key, and no key was given",
                             hint: "pass --key FILE (your own key file) or set HAVEN_KEY")
        }
        do {
            return try SigningKey(seed: try KeyFiles.readSecret(kind: .ed25519Secret, path: path))
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError(.invalidKey, "\(path): not a usable Ed25519 key")
        }
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

/// `haven operator status`: sealed or not, and how many shares are still needed (needs no
/// key); with --data, which share set is in force and which share files are stale.
struct OperatorStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show whether the vault is sealed and how many shares are still needed (needs no key).",
        discussion: """
            Without a session the daemon says only whether the vault is sealed and how many shares are \
            still needed; an administrator's key (--key, on an open vault) shows the rest. With --data \
            DIR it reads the data directory instead (no daemon needed; run it as the daemon's user): \
            the share set in force, by each share's fingerprint (the first 4 bytes of its check value) \
            and custodian, a rotation a crash interrupted, and for each share file given (or each \
            *.key in --share-dir) whether it is in force or stale.
            """)

    @Option(help: ArgumentHelp("Read this data directory instead of asking the daemon.", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("With --data: check every share file (*.key) in this directory.", valueName: "dir"))
    var shareDir: String?
    @Argument(help: ArgumentHelp("With --data: share files to check.", valueName: "file"))
    var files: [String] = []
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if data == nil && (shareDir != nil || !files.isEmpty) { throw ValidationError("share files are checked with --data DIR") }
        if data != nil {
            try connection.refuseHost(command: "operator status --data", because: "reads a data directory on this machine", environmentToo: true)
        }
    }

    func run() async throws {
        if let data {
            // Reading the database is havend's (the client links no SQLite): this becomes it.
            var arguments = ["--data", data] + (shareDir.map { ["--share-dir", $0] } ?? [])
            if output.json { arguments.append("--json") }
            try InitCommand.becomeHavend("share-status", arguments + ["--"] + files)
        }
        var status: SealStatus = try await connection.withAnonymousClient { try await $0.get("/v1/operator/seal") }
        let hasKey = (connection.key ?? ProcessInfo.processInfo.environment["HAVEN_KEY"]) != nil
        if !status.sealed, hasKey, let whole: SealStatus = try? await connection.withClient({ try await $0.get("/v1/operator/seal") }) {
            status = whole
        }
        if output.json { Output.json(status); return }
        Output.line(status.vaultID.map { "vault \($0): \(status.summary)" } ?? status.summary)
    }
}
