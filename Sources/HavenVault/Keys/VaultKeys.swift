import HavenCore
import HavenCrypto
import HavenStore

/// The keys a running vault holds in guarded memory, derived and unsealed at start.
public final class VaultKeys: Sendable {
    public let vaultID: VaultID
    public let dataKeys: DataKeyWrapper
    public let signingKey: SigningKey
    /// Tags the state of rows that grant access (users, records, vault metadata).
    public let rows: RowAuthenticator
    /// Tags each audit entry.
    public let entries: EntryAuthenticator
    /// Encrypts backup archives.
    let backupKey: SecureBytes
    /// Keys the blind indexes of searchable fields (`SearchIndexer`).
    let searchKey: SecureBytes
    /// Seals each record's contribution to statistics (`RecordStatisticsDeriver`).
    public let statistics: StatisticsSeal
    /// Seals each year's statistics release (`StatisticsReleases`).
    public let releases: ReleaseSeal

    public var publicKey: PublicKey { signingKey.publicKey }

    public init(vaultID: VaultID, rootKey: RootKey, signingKey: SigningKey) {
        self.vaultID = vaultID
        self.dataKeys = DataKeyWrapper(vault: vaultID, rootKey: rootKey)
        self.signingKey = signingKey
        self.rows = RowAuthenticator(vault: vaultID, key: TagKey(rootKey: rootKey, purpose: .rowAuthentication))
        self.entries = EntryAuthenticator(vault: vaultID, key: TagKey(rootKey: rootKey, purpose: .auditAuthentication))
        self.backupKey = Self.backupKey(rootKey)
        self.searchKey = BlindIndex.indexKey(rootKey)
        self.statistics = StatisticsSeal(vault: vaultID, rootKey: rootKey)
        self.releases = ReleaseSeal(vault: vaultID, rootKey: rootKey)
    }

    /// The key backup archives are encrypted under: a subkey of the root key of its own.
    public static func backupKey(_ root: RootKey) -> SecureBytes {
        root.derive(.backupEncryption, version: 1)
    }

    /// Unseals the vault's signing key with `root` (from `what`, for the error). A wrong root
    /// key fails here, at start or unseal, rather than on the first read.
    public static func open(root: RootKey, meta: VaultMeta, what: String) throws(HavenError) -> VaultKeys {
        let signer: SigningKey
        do {
            signer = try SigningKeySeal.open(meta.sealedSigningKey, vault: meta.vaultID, rootKey: root)
        } catch {
            throw HavenError(.invalidKey, "\(what) does not open this vault",
                             hint: "use the root key (or the seal) created with this data directory")
        }
        guard signer.publicKey.bytes == meta.vaultPublicKey else {
            throw HavenError(.invalidKey, "the vault signing key does not match the vault's public key")
        }
        return VaultKeys(vaultID: meta.vaultID, rootKey: root, signingKey: signer)
    }
}
