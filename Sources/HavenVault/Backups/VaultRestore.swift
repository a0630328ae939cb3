import Glibc
import HavenBackup
import HavenCore
import HavenCrypto
import Logging

/// `havend restore`: a data directory made from a backup archive, opened with the vault's
/// root key, its log recomputed (`Vault.open`), ready for `BackupService.recordRestore`.
public enum VaultRestore {
    /// What opens the archive, given the way the vault was sealed when it was made.
    public enum Key {
        case file(String)
        case passphrase(SecureBytes)
        /// Share files, and the custodians' own key files that open the sealed ones (each
        /// share is opened with the key it names, whatever the order).
        case shares([String], keys: [String] = [])
    }

    /// The root key, from `key` and what the archive's header keeps (the passphrase seal,
    /// or the check values of the current shares).
    public static func rootKey(_ key: Key, header: BackupHeader) throws(HavenError) -> RootKey {
        switch (key, header.seal) {
        case (.file(let path), .file):
            let material = try KeyFiles.readSecret(kind: .rootKey, path: path)
            do { return try RootKey(material: material) } catch { throw HavenError(.invalidKey, "\(path) is not a root key") }
        case (.passphrase(let passphrase), .passphrase):
            guard let bytes = header.sealFile,
                  let sealed = try? PassphraseSeal(bytes: SecureBytes(count: bytes.count, fill: { $0.copyBytes(from: bytes) })) else {
                throw HavenError(.invalidDocument, "the archive's passphrase seal is damaged")
            }
            do {
                return try sealed.open(passphrase: passphrase, vault: header.vaultID)
            } catch {
                throw HavenError(.authenticationFailed, "the passphrase does not open this vault's backup")
            }
        case (.shares(let paths, let keyPaths), .shares):
            guard let bytes = header.sealFile else { throw HavenError(.invalidDocument, "the archive's share set is missing") }
            let set = try ShareSet(bytes: bytes)
            var keys = [PublicKey: SigningKey]()
            for path in keyPaths {
                guard let key = try? SigningKey(seed: try KeyFiles.readSecret(kind: .ed25519Secret, path: path)) else {
                    throw HavenError(.invalidKey, "\(path): not a usable Ed25519 key")
                }
                keys[key.publicKey] = key
            }
            var shares = [UInt8: Shamir.Share]()
            for path in paths {
                let stored = try StoredShare.read(path: path)
                try refuseOtherSplit(stored, of: set, path: path, header: header)
                let share = try stored.open(what: path) { () throws(HavenError) -> SigningKey in
                    guard case .sealed(let sealed) = stored, let key = keys[sealed.custodian] else {
                        throw HavenError(.invalidKey, "\(path) is sealed to its custodian's key, which was not given",
                                         hint: "the custodian gives their key with --share-key FILE (restore gathers the shares "
                                             + "on the recovery machine with the custodians present)")
                    }
                    return key
                }
                try set.check(share, what: path)
                shares[share.index] = share.share
            }
            guard shares.count >= set.threshold else {
                throw HavenError(.invalidKey, "\(shares.count) different shares given; this vault needs \(set.threshold) of \(set.count)")
            }
            let material = try Shamir.combine(Array(shares.values), threshold: set.threshold)
            let root: RootKey
            do { root = try RootKey(material: material) } catch { throw HavenError(.invalidKey, "the shares do not form a root key") }
            try set.verify(root: root)
            return root
        default:
            throw HavenError(.invalidKey, "this backup is of a vault sealed by \(header.seal.rawValue)",
                             hint: header.seal == .file ? "give --root-key FILE"
                                 : header.seal == .passphrase ? "give --passphrase-file FILE" : "give --share FILE for each custodian's share")
        }
    }

    /// Refuses a share of this vault that is not of the split the archive keeps. Which side
    /// of a rotation it is from cannot be told (a share file carries no date), so the words
    /// hold both ways: an archive from before a rotation given the new shares, and a later
    /// archive given the old ones. The unseal's "from before the last rotation" is true only
    /// of the live vault, whose split is always the newest.
    static func refuseOtherSplit(_ share: StoredShare, of set: ShareSet, path: String, header: BackupHeader) throws(HavenError) {
        guard share.vault == set.vault, !set.holds(share) else { return }
        throw HavenError(.invalidKey, "\(path) (share \(share.index) of \(share.count)) is not one of the shares this archive opens "
                         + "with: made \(header.createdAt.date), it keeps the share set in force then (fingerprints "
                         + "\(set.fingerprints.joined(separator: " ")), any \(set.threshold) of \(set.count))",
                         hint: "give the shares in force when the archive was made: after a root key rotation, an archive from "
                             + "before it opens only with the shares from before it, and a later archive only with the new ones")
    }

    /// Removes what a restore wrote into `directory`, so that a restore that failed leaves
    /// nothing that could start (a vault without the erasures made since, say).
    public static func discard(_ directory: DataDirectory) {
        for file in directory.databaseFiles + [directory.vaultPublicKeyPath, directory.passphraseSealPath, directory.shareSetPath,
                                               directory.lockPath] {
            unlink(file)
        }
        rmdir(directory.path + "/backups")
    }

    /// Makes `directory` from the archive and opens it: the snapshot decrypted into
    /// haven.db, vault.pub and the seal file written; then the vault opened, which
    /// recomputes the whole log. Nothing is left behind if a step fails.
    public static func open(archive: String, header: BackupHeader, vaultKey: PublicKey?, root: RootKey, into directory: DataDirectory,
                            policyPath: String, logger: Logger) throws -> Vault {
        let previous = umask(0o077)
        defer { umask(previous) }
        try VaultInitializer.makeEmptyDirectory(directory.path)
        var done = false
        defer { if !done { discard(directory) } }
        _ = try BackupArchive.decrypt(archive, key: vaultKey, backupKey: VaultKeys.backupKey(root), to: directory.databasePath)
        let publicKey = try PublicKey(bytes: header.vaultPublicKey)
        try Array(KeyFileFormat.encodePublic(publicKey).utf8).withUnsafeBytes {
            try KeyFiles.create(path: directory.vaultPublicKeyPath, contents: $0, mode: 0o644)
        }
        if let seal = header.sealFile {
            let kind: KeyFileKind = header.seal == .passphrase ? .rootKeyPassphrase : .rootShareSet
            let path = header.seal == .passphrase ? directory.passphraseSealPath : directory.shareSetPath
            try seal.withUnsafeBytes { raw in
                try KeyFileFormat.encode(kind: kind, key: raw).withUnsafeBytes { try KeyFiles.create(path: path, contents: $0, mode: 0o600) }
            }
        }
        let vault = try Vault.open(directory: directory, policyPath: policyPath, logger: logger, rootKey: root)
        guard vault.keys.vaultID == header.vaultID else {
            vault.shutdown()
            throw HavenError(.integrityError, "the archive's database is of vault \(vault.keys.vaultID), not \(header.vaultID)")
        }
        done = true
        return vault
    }
}
