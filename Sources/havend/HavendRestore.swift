import ArgumentParser
import Foundation
import Glibc
import HavenBackup
import HavenCommandLine
import HavenCore
import HavenCrypto
import HavenVault
import Logging
import NIOPosix

/// `havend restore ARCHIVE --data DIR …`: a vault made again from a backup archive ('haven
/// backup restore' runs this, as 'haven init' runs 'havend init').
struct HavendRestore: HavendCommand {
    static let configuration = CommandConfiguration(
        commandName: "havend restore",
        abstract: "Restore a vault from a backup archive into an empty directory ('haven backup restore' runs this).",
        discussion: RestoreOptions.discussion + #" Errors are one line on stderr (with --json, {"error": {"code", "message"}}) and exit status 1."#)

    @OptionGroup var options: RestoreOptions

    mutating func run() throws {
        try reporting(json: options.json) { try restore() }
    }

    private func restore() throws {
        let o = options
        let vaultKey = try o.vaultKey.map { (path) throws(HavenError) in try KeyFiles.readPublic(path: path) }
        let header = try BackupArchive.verify(o.archive, key: vaultKey)
        // Before the passphrase or shares are asked for, as `init` does.
        try VaultInitializer.checkTarget(o.data, command: "haven backup restore")
        let root = try VaultRestore.rootKey(try key(for: header), header: header)
        var logger = Logger(label: "havend") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let directory = DataDirectory(o.data, rootKey: header.seal == .file ? o.rootKey : nil)
        // Everything beside the anchor is read, and each line checked, before anything is written.
        let anchor = o.anchor.map(AnchorFile.init(path:))
        let beside = try anchor.map { (a) throws(HavenError) in try RestoreAnchor.read(a, header: header, withoutJournal: o.withoutJournal) }
        // Without a tally nothing counts what would be lost: an archive older than the anchor
        // is then refused before anything is written.
        if let beside, beside.tally == nil || beside.checkpoint == nil, let loss = beside.older(than: header), !o.acceptLoss {
            throw HavenError(.conflict, "refusing to restore: this archive is older than the anchor \(beside.anchor.path) (\(loss)); "
                             + "what the vault holds since the archive would be lost",
                             hint: "restore the latest archive, or give --accept-loss to restore this one (the output counts what is lost)")
        }
        let vault = try VaultRestore.open(archive: o.archive, header: header, vaultKey: vaultKey, root: root, into: directory,
                                          policyPath: o.policy, logger: logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let name = URL(fileURLWithPath: o.archive).lastPathComponent
        let report: RestoreReport
        do {
            let archived = try vault.backups.counts(upTo: header.auditSize)
            // With a tally, only a real loss asks for the flag: the anchor is nearly always past
            // the archive (the backup's own fetch is audited), so "older" alone made it routine.
            if let beside, beside.checkpoint != nil, !o.acceptLoss, let lost = beside.lost(archived: archived), lost != RecoveryTally.Counts() {
                throw HavenError(.conflict, "refusing to restore: what the vault made since this archive would be lost "
                                 + "(\(RestoreReport.describe(lost)), counted by the tally beside the anchor \(beside.anchor.path))",
                                 hint: "restore the latest archive, or give --accept-loss to restore this one (the output counts what is lost)")
            }
            let again = try vault.backups.recordRestore(on: group.next(), archive: name, header: header,
                                                        erasures: beside?.erasures ?? [], acts: beside?.journal.acts ?? []).wait()
            let epoch = try vault.backups.countRestores()
            // The tally counts the restored log from here; the next checkpoint adds what follows.
            // It is put in place only once the anchor is written: a failed write leaves the
            // tally of the vault the restore did not replace.
            var staged: RecoveryTally.Staged?
            if let anchor, let latest = vault.auditHead.latestCheckpoint { staged = try vault.backups.retally(anchor, size: latest.checkpoint.size) }
            vault.shutdown()
            do {
                if let anchor, let latest = vault.auditHead.latestCheckpoint { try anchor.write(latest) }
            } catch {
                staged?.discard()
                throw error
            }
            try staged?.place()
            report = RestoreReport(directory: directory.path, header: header, auditSize: vault.auditHead.size, epoch: epoch,
                                   anchor: beside, archived: archived, reapplied: again)
        } catch {
            // Nothing half-restored stays: a vault whose "no"s were not applied again must not start.
            vault.shutdown()
            VaultRestore.discard(directory)
            throw error
        }
        if o.json {
            print(report.json())
        } else {
            for line in report.lines() { print(line) }
            if header.seal == .file, let key = o.rootKey { print("start it with: havend --data \(directory.path) --root-key \(key)") }
        }
    }

    /// What opens the archive: as given, or the passphrase asked on the terminal.
    private func key(for header: BackupHeader) throws -> VaultRestore.Key {
        let o = options
        if let rootKey = o.rootKey { return .file(rootKey) }
        if !o.share.isEmpty { return .shares(o.share, keys: o.shareKey) }
        guard header.seal == .passphrase || o.passphraseFile != nil else {
            throw HavenError(.invalidKey, "this backup is of a vault sealed by \(header.seal.rawValue)",
                             hint: header.seal == .file ? "give --root-key FILE" : "give --share FILE for each custodian's share")
        }
        var bytes: [UInt8]
        do {
            bytes = try o.passphraseFile.map { try PassphraseInput.read(file: $0) }
                ?? PassphraseInput.prompt("Passphrase of vault \(header.vaultID.rawValue.prefix(8)): ", confirm: false)
        } catch {
            throw HavenError(.invalidValue, "\(error)")
        }
        defer { PassphraseInput.wipe(&bytes) }
        return .passphrase(try SecureBytes(count: bytes.count) { $0.copyBytes(from: bytes) })
    }
}
