import HavenCore

/// Keeps the vault's Ed25519 signing key at rest sealed under a key derived from the root
/// key, so a copy of the database alone cannot forge checkpoints or extracts.
public enum SigningKeySeal {
    public static let keyVersion: UInt32 = 1

    public static func seal(_ key: SigningKey, vault: VaultID, rootKey: RootKey) -> [UInt8] {
        let sealingKey = rootKey.derive(.signingKeySealing, version: UInt64(keyVersion))
        return key.seed().withUnsafeBytes {
            SealedBox.seal($0, key: sealingKey, keyVersion: keyVersion, associatedData: ad(vault))
        }
    }

    public static func open(_ box: [UInt8], vault: VaultID, rootKey: RootKey) throws(CryptoError) -> SigningKey {
        let sealingKey = rootKey.derive(.signingKeySealing, version: UInt64(keyVersion))
        let plain = try SealedBox.open(box, key: sealingKey, expectedKeyVersion: keyVersion, associatedData: ad(vault))
        let seed = try! SecureBytes(count: plain.count) { out in plain.withUnsafeBytes { out.copyMemory(from: $0) } }
        return try SigningKey(seed: seed)
    }

    private static func ad(_ vault: VaultID) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/signing-key/v1")
        ad.string(vault.rawValue)
        return ad
    }
}
