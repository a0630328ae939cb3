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
    fileprivate let key: SecureBytes

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

    /// Opens boxes with one buffer for the associated data and one for the plaintext, wiped
    /// when the opener is released: a query opens a million, and a box opened this way
    /// costs no allocation. One thread at a time.
    public func opener() -> Opener { Opener(self) }

    public final class Opener {
        private let seal: StatisticsSeal
        private var ad: [UInt8]
        private let prefix: Int
        private let plain: PlaintextBuffer

        /// Plaintexts longer than this are refused (a format-1 tuple is under 1,800 bytes).
        static let maximum = 2048

        fileprivate init(_ seal: StatisticsSeal) {
            self.seal = seal
            var ad = AssociatedData(domain: "haven/statistics/v1")
            ad.string(seal.vault.rawValue)
            self.ad = ad.bytes
            prefix = self.ad.count
            self.ad.reserveCapacity(prefix + 2 + 64 + 16 + SealedBox.headerBytes)
            plain = PlaintextBuffer(count: Self.maximum)
        }

        /// Opens `box` of `record` (its id's canonical text as stored, read without a String)
        /// made beside `rowTag`, and gives `body` the plaintext. The associated data is
        /// `seal`'s, built in place: the committed vector checks the two agree.
        public func open<R>(_ box: UnsafeRawBufferPointer, record: UnsafeRawBufferPointer, rowTag: Tag16,
                            _ body: (UnsafeRawBufferPointer) -> R) throws(CryptoError) -> R {
            guard try SealedBox.keyVersion(of: box) == 1, box.count - SealedBox.overhead <= Self.maximum,
                  record.count <= Int(UInt16.max) else { throw .authenticationFailure }
            ad.removeSubrange(prefix...)
            ad.append(UInt8(record.count >> 8))
            ad.append(UInt8(record.count & 0xFF))
            ad.append(contentsOf: record)
            rowTag.withUnsafeBytes { ad.append(contentsOf: $0) }
            ad.append(contentsOf: box[0..<SealedBox.headerBytes])
            let count = box.count - SealedBox.overhead
            let nonce = UnsafeRawBufferPointer(rebasing: box[SealedBox.headerBytes..<(SealedBox.headerBytes + SealedBox.nonceBytes)])
            let cipher = UnsafeRawBufferPointer(rebasing: box[(SealedBox.headerBytes + SealedBox.nonceBytes)...])
            let outcome = plain.withUnsafeMutableBytes { o in
                seal.key.withUnsafeBytes { k in
                    ad.withUnsafeBytes { a in
                        Result { () throws(CryptoError) in
                            try XChaCha20Poly1305.decrypt(key: k, nonce: nonce, ciphertext: cipher, ad: a,
                                                          out: UnsafeMutableRawBufferPointer(rebasing: o[0..<count]))
                        }
                    }
                }
            }
            try outcome.get()
            return plain.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    private func ad(record: String, rowTag: Tag16) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/statistics/v1")
        ad.string(vault.rawValue)
        ad.string(record)
        ad.tag(rowTag)
        return ad
    }
}
