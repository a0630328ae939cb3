import ArgumentParser
import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCommandLine
import HavenCore
import HavenCrypto

/// `haven operator rotate-root`: a new root key for the vault. By shares it is a ceremony
/// with no single holder: the administrator starts it and gets only sealed shares; each
/// custodian then offers their current share from their own terminal (`--commit ID`).
struct OperatorRotateRoot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-root", abstract: "Give the vault a new root key, sealed the way the vault is sealed.",
        discussion: """
            The daemon closes the vault (requests answer 'sealed' for the while), wraps every data key \\
            again, tags every audit entry again and seals the signing key again under the new key in one \\
            transaction, puts the new key's file in place and opens the vault again: a crash at any moment \\
            leaves the old key or the new one opening it, never neither. A rotation needs the vault's \\
            custody, not only the admin role. A vault kept in a file gets a new root key file (admin). \\
            Under a passphrase, the current one (--current-passphrase-file, or asked) must be given, and \\
            the new key is sealed under --passphrase-file's (or the one asked twice; it may be the same). \\
            By shares, in two steps. First an administrator runs it with --share-out DIR: the daemon \\
            splits a new key — the same N, K and custodians as in force unless --shares, --threshold or \\
            --custodian-key say otherwise — seals each new share to its custodian's key and answers only \\
            the sealed shares, written to DIR, and a ceremony id; nothing is in force yet. Then each \\
            custodian, from their own terminal, offers one current share: 'rotate-root --commit ID \\
            --share FILE --key THEIR-KEY' (no session needed: the share is the credential); the offer that \\
            reaches the threshold commits the rotation, and the old shares stop counting. No one process \\
            ever holds more than one current share, and no one but each custodian sees a new share. \\
            Backups made before keep opening only with the old key: keep it (or the old shares) with them.
            """)

    @Option(help: ArgumentHelp("Under a passphrase: the passphrase to seal the new key under (0600 file).", valueName: "file"))
    var passphraseFile: String?
    @Option(help: ArgumentHelp("Under a passphrase: the current passphrase (0600 file); asked if not given.", valueName: "file"))
    var currentPassphraseFile: String?
    @Option(help: ArgumentHelp("By shares, with --commit: your current share (once; opened with your --key).", valueName: "file"))
    var share: [String] = []
    @Option(help: ArgumentHelp("By shares: offer your current share to the rotation with this id.", valueName: "id"))
    var commit: String?
    @Option(help: ArgumentHelp("By shares: how many new shares (default: as many as now).", valueName: "n")) var shares: Int?
    @Option(help: ArgumentHelp("By shares: how many open the vault (default: as now).", valueName: "k")) var threshold: Int?
    @Option(help: ArgumentHelp("By shares: a new custodian's public key, once per share (default: the custodians in force).",
                               valueName: "pub"))
    var custodianKey: [String] = []
    @Option(help: ArgumentHelp("By shares: the directory to write the new sealed share files in.", valueName: "dir")) var shareOut: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if share.count > 1 {
            throw ValidationError("one --share per run: each custodian offers their own current share from their own terminal "
                                  + "('haven operator rotate-root --commit ID --share FILE --key KEY')")
        }
        if commit != nil, shareOut != nil || shares != nil || threshold != nil || !custodianKey.isEmpty {
            throw ValidationError("--commit ID goes with --share FILE (and your --key) only")
        }
        if commit == nil, !share.isEmpty {
            throw ValidationError("current shares are offered to a started rotation: --commit ID --share FILE --key KEY "
                                  + "(an administrator starts it with --share-out DIR)")
        }
    }

    func run() async throws {
        if let commit { return try await offer(commit) }
        let status: SealStatus = try await connection.withAnonymousClient { try await $0.get("/v1/operator/seal") }
        var request = RotateRequest()
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
            return try await split()
        default:
            break
        }
        let body = request
        let answer: RotateAnswer = try await connection.withClient { try await $0.post("/v1/operator/rotate", body) }
        if output.json { Output.json(answer); return }
        Output.line("rotated the root key of vault \(answer.vaultID): \(answer.records ?? 0) data keys wrapped again, "
                    + "\(answer.entries ?? 0) audit entries")
    }

    /// The administrator's step: the new split, sealed, written to --share-out.
    private func split() async throws {
        guard let shareOut else { throw ValidationError("this vault is sealed by shares: give --share-out DIR for the new sealed shares") }
        let keys = try custodianKey.map { Base64.encode(try KeyFiles.readPublic(path: $0).bytes) }
        let request = RotateRequest(shares: shares, threshold: threshold, custodianKeys: keys.isEmpty ? nil : keys)
        let answer: RotateAnswer = try await connection.withClient { try await $0.post("/v1/operator/rotate", request) }
        guard let id = answer.pending, let files = answer.shareFiles else { throw HavenError(.internalError, "the daemon sent no shares") }
        let written = try Self.writeShares(files, vault: answer.vaultID, id: id, into: shareOut)
        if output.json { Output.json(ShareFilesWritten(pending: id, shareFiles: written, needed: answer.needed)); return }
        Output.line("rotation \(id) started: nothing changes until \(answer.needed ?? 2) custodians each offer their current share, "
                    + "one per run: haven operator rotate-root --commit \(id) --share CURRENT-SHARE --key THEIR-KEY")
        Output.line("  the new key opens with any \(answer.threshold ?? 0) of \(files.count): tell the custodians this id and "
                    + "these key ids face to face, for them to check before they offer")
        for (f, w) in zip(files, written) {
            let custodian = (Base64.decode(f).flatMap { try? SealedShareFile(bytes: $0, what: w) })?.custodian.keyID ?? "?"
            Output.line("  new share: \(w) (sealed to custodian key \(custodian); only they can open it)")
        }
    }

    /// A custodian's step: one current share, opened here with their own key, offered to `id`.
    private func offer(_ id: String) async throws {
        guard let path = share.first else { throw ValidationError("--commit ID needs --share FILE, your current share") }
        let file = try RootShareInput.open(path, connection: connection)
        // What this share would commit: shown first, and on a terminal confirmed.
        let pending: RotateAnswer = try await connection.withAnonymousClient {
            try await $0.post("/v1/operator/rotate", RotateRequest(commit: id))
        }
        if !output.json {
            let keys = pending.custodians ?? []
            Output.line("rotation \(id): the new key opens with any \(pending.threshold ?? 0) of \(keys.count) shares, sealed to "
                        + "custodian keys \(keys.joined(separator: ", ")); \(pending.needed ?? 0) current shares still needed")
            if case .sealed(let sealed)? = try? StoredShare.read(path: path), !keys.contains(sealed.custodian.keyID) {
                Output.line("  your key \(sealed.custodian.keyID) is not among them: your share hands your custody to them")
            }
            if isatty(0) == 1, isatty(2) == 1 {
                FileHandle.standardError.write(Data("Offer your current share to this rotation? [y/N] ".utf8))
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                    Output.line("nothing offered")
                    throw ExitCode(1)
                }
            }
        }
        let request = RotateRequest(commit: id, currentShare: file.bytes.withUnsafeBytes { Base64.encode(Array($0)) })
        let answer: RotateAnswer = try await connection.withAnonymousClient { try await $0.post("/v1/operator/rotate", request) }
        if output.json { Output.json(answer); return }
        if answer.rotated {
            Output.line("rotated the root key of vault \(answer.vaultID): \(answer.records ?? 0) data keys wrapped again, "
                        + "\(answer.entries ?? 0) audit entries; the new shares are in force, the old ones open nothing")
        } else {
            Output.line("share offered to rotation \(id); \(answer.needed ?? 0) more needed")
        }
    }

    struct ShareFilesWritten: Encodable {
        let pending: String
        let shareFiles: [String]
        let needed: Int?
        enum CodingKeys: String, CodingKey {
            case pending, needed
            case shareFiles = "share_files"
        }
    }

    /// The new sealed share files, each created 0600 and flushed.
    static func writeShares(_ files: [String], vault: String, id: String, into dir: String) throws -> [String] {
        // Names come from the daemon's answer: only hex goes into a path.
        let hex = { (s: String) in !s.isEmpty && s.allSatisfy(\.isHexDigit) }
        guard hex(vault), hex(id) else { throw HavenError(.invalidDocument, "the daemon's answer names no vault or rotation") }
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw HavenError(.ioError, "cannot create \(dir)") }
        var paths = [String]()
        for (i, base64) in files.enumerated() {
            guard let bytes = Base64.decode(base64) else { throw HavenError(.invalidDocument, "the daemon sent a damaged share") }
            // Only sealed shares are ever written: a share in clear in the answer is refused.
            let sealed = try SealedShareFile(bytes: bytes, what: "new share \(i + 1)")
            let path = dir + "/\(vault.prefix(8))-share-\(i + 1)-of-\(files.count)-\(id.prefix(6)).key"
            do {
                try StoredShare.write(sealed, to: path)
            } catch {
                for p in paths { unlink(p) }
                throw error
            }
            paths.append(path)
        }
        return paths
    }
}
