import ArgumentParser
import Foundation
import Glibc
import HavenCommandLine
import HavenCore
import HavenCrypto
import HavenVault

/// `havend init --data DIR --admin-key PUB`: creates a new vault. It lives in the daemon's
/// binary, which links the vault service and SQLite, so that the `haven` client links
/// neither; `haven init` runs this command.
struct HavendInit: HavendCommand {
    static let configuration = CommandConfiguration(
        commandName: "havend init",
        abstract: "Create a new vault in an empty directory ('haven init' runs this).",
        discussion: InitOptions.discussion + #" Errors are one line on stderr (with --json, {"error": {"code", "message"}}) and exit status 1."#)

    @OptionGroup var options: InitOptions

    mutating func run() throws {
        try reporting(json: options.json) { try create() }
    }

    /// The shortest passphrase a root key is sealed under: Argon2id slows guessing, it does
    /// not make a short passphrase long.
    static let minimumPassphraseBytes = 12

    /// How the new root key is to be kept, passphrase read in guarded memory.
    private func seal() throws -> RootKeyCustody.Seal {
        let o = options
        switch o.seal {
        case .file:
            return .file
        case .shares:
            let custodians = try o.custodianKey.map { try KeyFiles.readPublic(path: $0) }
            return .shares(threshold: o.threshold ?? 0, count: o.shares ?? custodians.count, directory: o.shareOut ?? ".",
                           custodians: custodians)
        case .passphrase:
            var bytes: [UInt8]
            do {
                if let file = o.passphraseFile {
                    bytes = try PassphraseInput.read(file: file)
                } else {
                    bytes = try PassphraseInput.prompt("Passphrase for the vault's root key: ", confirm: true,
                                                       minimumLength: Self.minimumPassphraseBytes)
                }
            } catch {
                throw HavenError(.invalidValue, error.description)
            }
            defer { PassphraseInput.wipe(&bytes) }
            guard bytes.count >= Self.minimumPassphraseBytes else {
                throw HavenError(.invalidValue, "the passphrase must be at least \(Self.minimumPassphraseBytes) bytes")
            }
            let secure = try SecureBytes(count: bytes.count) { $0.copyBytes(from: bytes) }
            return .passphrase(secure, cost: .moderate)
        }
    }

    private func create() throws {
        let o = options
        // Before anything is asked: a passphrase typed twice for a directory that cannot be made is wasted.
        try VaultInitializer.checkTarget(o.data)
        let key = try KeyFiles.readPublic(path: o.adminKey)
        let created = try VaultInitializer.create(
            directory: DataDirectory(o.data, rootKey: o.rootKey), adminKey: key, adminName: try UserName(o.adminName),
            adminRole: try RoleName(o.adminRole), adminAgency: try AgencyName(o.adminAgency), seal: try seal())
        let d = created.directory
        if o.json {
            var w = JSONWriter()
            w.object { o in
                o.field("data", d.path)
                o.field("root_key", created.seal == .file ? d.rootKeyPath : nil)  // a sealed vault keeps no root key file
                o.field("vault_id", created.vaultID.rawValue)
                o.field("vault_key_id", created.vaultPublicKey.keyID)
                o.field("vault_public_key", d.vaultPublicKeyPath)
                o.field("seal", created.seal.rawValue)
                o.field("share_files", strings: created.shareFiles)
            }
            print(String(decoding: w.bytes, as: UTF8.self))
        } else {
            print("created vault \(created.vaultID) in \(d.path)")
            switch created.seal {
            case .file:
                print("root key: \(d.rootKeyPath) (0600; keep it off backups of the data)")
            case .passphrase:
                print("root key: sealed under your passphrase in \(d.passphraseSealPath); havend starts sealed until "
                      + "'haven operator unseal'")
            case .shares:
                print("root key: split into \(created.shareFiles.count) shares, any \(o.threshold ?? 0) of which open the vault, "
                      + "each sealed to its custodian's key; havend starts sealed until custodians run "
                      + "'haven operator unseal --share FILE --key KEY'")
                for (f, k) in zip(created.shareFiles, o.custodianKey) { print("  share: \(f) (sealed to \(k); only its custodian opens it)") }
            }
            print("vault public key: \(d.vaultPublicKeyPath) (key id \(created.vaultPublicKey.keyID))")
            print("first administrator: \(o.adminName) (role \(o.adminRole), agency \(o.adminAgency))")
        }
    }
}
