import HavenCore

/// Wraps and unwraps records' data keys under the wrapping key derived from the root key.
///
/// The associated data binds the wrapped key to its vault, record and data-key version, so
/// a wrapped key copied onto another record's row does not unwrap there.
public struct DataKeyWrapper: Sendable {
    public let vault: VaultID
    public let wrappingKeyVersion: UInt32
    private let wrappingKey: SecureBytes

    public init(vault: VaultID, rootKey: RootKey, wrappingKeyVersion: UInt32 = 1) {
        self.vault = vault
        self.wrappingKeyVersion = wrappingKeyVersion
        self.wrappingKey = rootKey.derive(.dataKeyWrapping, version: UInt64(wrappingKeyVersion))
    }

    public func wrap(_ dataKey: SecureBytes, record: RecordID, dataKeyVersion: UInt32) -> [UInt8] {
        dataKey.withUnsafeBytes { k in
            SealedBox.seal(k, key: wrappingKey, keyVersion: wrappingKeyVersion,
                           associatedData: ad(record: record, dataKeyVersion: dataKeyVersion))
        }
    }

    public func unwrap(_ wrapped: [UInt8], record: RecordID, dataKeyVersion: UInt32) throws(CryptoError) -> SecureBytes {
        let plain = try SealedBox.open(wrapped, key: wrappingKey, expectedKeyVersion: wrappingKeyVersion,
                                       associatedData: ad(record: record, dataKeyVersion: dataKeyVersion))
        guard plain.count == DataKey.byteCount else { throw .authenticationFailure }
        return try! SecureBytes(pooledCount: DataKey.byteCount) { out in
            plain.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    private func ad(record: RecordID, dataKeyVersion: UInt32) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/data-key/v1")
        ad.string(vault.rawValue)
        ad.string(record.rawValue)
        ad.uint32(dataKeyVersion)
        return ad
    }
}
