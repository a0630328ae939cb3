import HavenCore

/// Seals what one record contributes to statistics (HavenStats `RecordStatistics`) under
/// a key of its own, derived from the root key (`KeyPurpose.statistics`).
///
/// The associated data binds the box to its vault, its record and the state tag of the
/// record's row it was made beside. The tag is the authenticated state the audit log
/// holds for the record (consent, agency, field versions — everything the header says),
/// so a box is accepted only while its record is exactly as it was when the box was made:
/// - copied onto another record, it does not open (record id);
/// - kept from before a consent withdrawal or an update, it names a tag that is no longer
///   the record's latest, which the state ledger refuses (row tag);
/// - its tag column edited to the latest one, it does not open (the tag is in the AD).
/// A separate key, rather than the record's data key, lets a query open a million of
/// these without unwrapping a million data keys; it is never used for anything else.
public struct StatisticsSeal: Sendable {
    public let vault: VaultID
    private let key: SecureBytes

    public init(vault: VaultID, rootKey: RootKey) {
        self.vault = vault
        self.key = rootKey.derive(.statistics, version: 1)
    }

    public func seal(_ encoded: [UInt8], record: RecordID, rowTag: Tag16) -> [UInt8] {
        SealedBox.seal(encoded, key: key, keyVersion: 1, associatedData: ad(record: record.rawValue, rowTag: rowTag))
    }

    /// With a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func seal(_ encoded: [UInt8], record: RecordID, rowTag: Tag16, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(encoded, key: key, keyVersion: 1, associatedData: ad(record: record.rawValue, rowTag: rowTag), fixedNonce: fixedNonce)
    }

    /// `record` is the id's canonical text as stored (26 bytes), read without a String.
    public func open(_ box: UnsafeRawBufferPointer, record: UnsafeRawBufferPointer, rowTag: Tag16) throws(CryptoError) -> PlaintextBuffer {
        var ad = AssociatedData(domain: "haven/statistics/v1")
        ad.string(vault.rawValue)
        ad.string(utf8: record)
        ad.tag(rowTag)
        return try SealedBox.open(box, key: key, expectedKeyVersion: 1, associatedData: ad)
    }

    private func ad(record: String, rowTag: Tag16) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/statistics/v1")
        ad.string(vault.rawValue)
        ad.string(record)
        ad.tag(rowTag)
        return ad
    }
}
