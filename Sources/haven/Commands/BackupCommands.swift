import ArgumentParser
import Foundation
import Glibc
import HavenAPI
import HavenBackup
import HavenClient
import HavenCommandLine
import HavenCore
import HavenCrypto

/// `haven backup …`: encrypted, signed, consistent backups of a serving vault, and restores.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Make, check and restore encrypted backups of the vault.",
        subcommands: [BackupCreate.self, BackupVerify.self, BackupRestore.self])
}

/// `haven backup create --out FILE` (key.manage).
struct BackupCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Take a backup of the serving vault into FILE (admin).",
        discussion: """
            The daemon takes a consistent snapshot while it serves (SQLite's VACUUM INTO, never a file \
            copy), encrypts it as a whole under a key derived from the root key, signs it with the \
            vault's key, and records it in the audit log; this command fetches it, checks its \
            signature and writes FILE (0600). The archive opens only with the vault's root key.
            """)

    @Option(help: ArgumentHelp("Where to write the archive (must not exist).", valueName: "file")) var out: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard access(out, F_OK) != 0 else { throw HavenError(.ioError, "\(out) already exists", hint: "choose a new file name") }
        let partial = out + ".partial"
        unlink(partial)  // left by an earlier attempt that failed
        defer { unlink(partial) }
        let created: BackupCreated = try await connection.withClient { client in
            let created: BackupCreated = try await client.post("/v1/backups")
            do {
                try await Self.fetch(created, from: client, into: partial)
            } catch {
                // The archive is not left waiting in the daemon's spool.
                let _: [String: String]? = try? await client.delete("/v1/backups/\(HavenClient.escape(created.name))")
                throw error
            }
            let _: [String: String] = try await client.delete("/v1/backups/\(HavenClient.escape(created.name))")
            return created
        }
        try BackupArchive.verify(partial, key: nil)
        guard rename(partial, out) == 0 else { throw HavenError(.ioError, "cannot rename \(partial) to \(out)") }
        if output.json { Output.json(created); return }
        Output.line("backup of vault \(created.vaultID) at \(created.createdAt): \(out) (\(created.size) bytes, audit log of \(created.auditSize) entries)")
    }

    /// The spooled archive, chunk by chunk, into a new file (0600), flushed.
    static func fetch(_ created: BackupCreated, from client: HavenClient, into partial: String) async throws {
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot create \(partial): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        var progress = Progress(label: "fetching the archive (bytes)", total: UInt64(created.size))
        while offset < created.size {
            let chunk: BackupChunk = try await client.get("/v1/backups/\(HavenClient.escape(created.name))?offset=\(offset)")
            guard let bytes = Base64.decode(chunk.data), !bytes.isEmpty, chunk.offset == offset else {
                throw HavenError(.invalidDocument, "the daemon sent a damaged piece of the archive")
            }
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n == bytes.count else { throw HavenError(.ioError, "cannot write \(partial)") }
            offset += bytes.count
            progress.update(UInt64(offset))
        }
        guard fsync(fd) == 0 else { throw HavenError(.ioError, "cannot flush \(partial)") }
    }
}

/// `haven backup verify FILE --vault-key vault.pub`: offline, no secret needed.
struct BackupVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a backup archive offline: its signature by the vault, and its log's checkpoint.",
        discussion: """
            Works without the daemon and without any secret. Every byte of the archive is covered by \
            the vault's signature, so one byte changed anywhere is refused (exit 1); the archive's \
            latest audit checkpoint must be signed by the same key. The log itself is recomputed \
            when the archive is restored. Exit status 0 when intact.
            """)

    @Argument(help: "The archive.") var file: String
    @Option(help: ArgumentHelp("The vault's public key (vault.pub).", valueName: "pub")) var vaultKey: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try KeyFiles.readPublic(path: vaultKey)
        let result = Result { () throws(HavenError) -> BackupHeader in try BackupArchive.verify(file, key: key) }
        guard case .success(let header) = result else {
            guard case .failure(let e) = result, e.code == .invalidDocument else { _ = try result.get(); return }
            if output.json {
                var w = JSONWriter()
                w.object { o in
                    o.field("ok", false)
                    o.field("reason", e.message)
                }
                Output.line(String(decoding: w.bytes, as: UTF8.self))
            } else {
                Output.line("NOT VERIFIED: \(e.message)")
            }
            throw ExitCode(1)
        }
        if output.json {
            var w = JSONWriter()
            w.object { o in
                o.field("ok", true)
                o.field("vault_id", header.vaultID.rawValue)
                o.field("created_at", header.createdAt.rfc3339)
                o.field("audit_size", header.auditSize)
                o.field("checkpoint_size", header.checkpoint?.checkpoint.size ?? 0)
                o.field("seal", header.seal.rawValue)
            }
            Output.line(String(decoding: w.bytes, as: UTF8.self))
            return
        }
        Output.line("verified: a backup of vault \(header.vaultID) (key \(key.keyID)), made \(header.createdAt.rfc3339)")
        Output.line("audit log: \(header.auditSize) entries, checkpoint at \(header.checkpoint?.checkpoint.size ?? 0) signed by the vault")
        Output.line("opens with: \(header.seal == .file ? "the root key file" : header.seal == .passphrase ? "the passphrase" : "the custodians' shares")")
    }
}

/// `haven backup restore FILE --data DIR …`: runs `havend restore`.
struct BackupRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into a new data directory (runs 'havend restore').",
        discussion: RestoreOptions.discussion)

    @OptionGroup var options: RestoreOptions

    func run() async throws {
        try InitCommand.becomeHavend("restore", options.arguments)
    }
}
