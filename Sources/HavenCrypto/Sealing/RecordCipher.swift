import HavenCore

/// Seals and opens everything that belongs to one record under the record's data key:
/// field values, the record header and case notes (FORMAT.md, "record sealing").
///
/// Each kind of box has its own associated-data domain and binds the coordinates it lives
/// at. What each binding prevents:
/// - vault id: material from another vault (a restored backup of another site) is refused;
/// - record id: a ciphertext copied into another record fails;
/// - field name: a ciphertext moved to another field of the same record fails;
/// - field version: an older ciphertext of the same field put back (rollback) fails,
///   because the expected version comes from the sealed header, not from a loose column;
/// - key version: a box sealed under a retired data key is not mistaken for a current one;
/// - note or consent event index: a history row moved to another place in the history, or
///   to another record, fails; a deleted one is missed, because the header counts them.
public struct RecordCipher: Sendable {
    public let vault: VaultID
    public let record: RecordID
    public let dataKeyVersion: UInt32
    private let dataKey: SecureBytes

    public init(vault: VaultID, record: RecordID, dataKey: SecureBytes, dataKeyVersion: UInt32) {
        self.vault = vault
        self.record = record
        self.dataKey = dataKey
        self.dataKeyVersion = dataKeyVersion
    }

    // MARK: fields

    public func sealField(_ name: FieldName, version: UInt64, value: UnsafeRawBufferPointer) -> [UInt8] {
        SealedBox.seal(value, key: dataKey, keyVersion: dataKeyVersion, associatedData: fieldAD(name, version))
    }

    public func sealField(_ name: FieldName, version: UInt64, value: String) -> [UInt8] {
        var utf8 = Array(value.utf8)
        defer { utf8.withUnsafeMutableBytes { wipe($0) } }
        return utf8.withUnsafeBytes { sealField(name, version: version, value: $0) }
    }

    /// A field sealed with a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func sealField(_ name: FieldName, version: UInt64, value: String, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(Array(value.utf8), key: dataKey, keyVersion: dataKeyVersion, associatedData: fieldAD(name, version),
                       fixedNonce: fixedNonce)
    }

    public func openField(_ name: FieldName, version: UInt64, box: UnsafeRawBufferPointer) throws(CryptoError) -> PlaintextBuffer {
        try SealedBox.open(box, key: dataKey, expectedKeyVersion: dataKeyVersion, associatedData: fieldAD(name, version))
    }

    private func fieldAD(_ name: FieldName, _ version: UInt64) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/field/v1")
        ad.string(vault.rawValue)
        ad.string(record.rawValue)
        ad.string(name.rawValue)
        ad.uint64(version)
        return ad
    }

    // MARK: header

    public func sealHeader(_ header: RecordHeader) -> [UInt8] {
        precondition(header.id == record)
        var json = header.canonicalJSON()
        defer { json.withUnsafeMutableBytes { wipe($0) } }
        return json.withUnsafeBytes {
            SealedBox.seal($0, key: dataKey, keyVersion: dataKeyVersion, associatedData: headerAD(header.version))
        }
    }

    /// Opens the header stored for `version` (the record row's version column). A header
    /// from another record or version, or one that does not parse, is an integrity failure.
    public func openHeader(_ box: UnsafeRawBufferPointer, version: UInt64) throws(HavenError) -> RecordHeader {
        let plain: PlaintextBuffer
        do {
            plain = try SealedBox.open(box, key: dataKey, expectedKeyVersion: dataKeyVersion,
                                       associatedData: headerAD(version))
        } catch {
            throw HavenError.integrity
        }
        let header = try plain.withUnsafeBytes { (b) throws(HavenError) -> RecordHeader in
            try RecordHeader(canonicalJSON: Array(b))
        }
        guard header.id == record, header.version == version else { throw HavenError.integrity }
        return header
    }

    private func headerAD(_ version: UInt64) -> AssociatedData {
        var ad = AssociatedData(domain: "haven/header/v1")
        ad.string(vault.rawValue)
        ad.string(record.rawValue)
        ad.uint64(version)
        return ad
    }

    // MARK: notes

    public func sealNote(index: UInt64, text: String) -> [UInt8] {
        var utf8 = Array(text.utf8)
        defer { utf8.withUnsafeMutableBytes { wipe($0) } }
        return utf8.withUnsafeBytes {
            SealedBox.seal($0, key: dataKey, keyVersion: dataKeyVersion, associatedData: noteAD(index))
        }
    }

    public func openNote(index: UInt64, box: UnsafeRawBufferPointer) throws(CryptoError) -> PlaintextBuffer {
        try SealedBox.open(box, key: dataKey, expectedKeyVersion: dataKeyVersion, associatedData: noteAD(index))
    }

    private func noteAD(_ index: UInt64) -> AssociatedData { positionAD("haven/note/v1", index) }

    /// A box at one position of the record's append-only history: the domain says which
    /// history (note text, note metadata, consent event), the index where in it.
    private func positionAD(_ domain: String, _ index: UInt64) -> AssociatedData {
        var ad = AssociatedData(domain: domain)
        ad.string(vault.rawValue)
        ad.string(record.rawValue)
        ad.uint64(index)
        return ad
    }

    // MARK: history rows (format 2 headers count them; FORMAT.md, "record history")

    public func sealNoteMetadata(_ meta: NoteMetadata) -> [UInt8] {
        SealedBox.seal(meta.canonicalJSON(), key: dataKey, keyVersion: dataKeyVersion, associatedData: noteMetaAD(meta.index))
    }

    /// A note's metadata sealed with a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func sealNoteMetadata(_ meta: NoteMetadata, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(meta.canonicalJSON(), key: dataKey, keyVersion: dataKeyVersion, associatedData: noteMetaAD(meta.index),
                       fixedNonce: fixedNonce)
    }

    /// Opens the metadata stored for note `index`; anything else is an integrity failure.
    public func openNoteMetadata(index: UInt64, box: UnsafeRawBufferPointer) throws(HavenError) -> NoteMetadata {
        let meta = try openHistory(box, noteMetaAD(index)) { (b) throws(HavenError) in try NoteMetadata(canonicalJSON: b) }
        guard meta.index == index else { throw HavenError.integrity }
        return meta
    }

    private func noteMetaAD(_ index: UInt64) -> AssociatedData { positionAD("haven/note-meta/v1", index) }

    /// Consent evidence is a digest (`ConsentEvidence`), but an event of an earlier release
    /// may hold free text, so the plaintext is wiped.
    public func sealConsentEvent(_ event: ConsentEvent, index: UInt64) -> [UInt8] {
        var json = event.canonicalJSON()
        defer { json.withUnsafeMutableBytes { wipe($0) } }
        return SealedBox.seal(json, key: dataKey, keyVersion: dataKeyVersion, associatedData: consentAD(index))
    }

    /// A consent event sealed with a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func sealConsentEvent(_ event: ConsentEvent, index: UInt64, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(event.canonicalJSON(), key: dataKey, keyVersion: dataKeyVersion, associatedData: consentAD(index),
                       fixedNonce: fixedNonce)
    }

    public func openConsentEvent(index: UInt64, box: UnsafeRawBufferPointer) throws(HavenError) -> ConsentEvent {
        try openHistory(box, consentAD(index)) { (b) throws(HavenError) in try ConsentEvent(canonicalJSON: b) }
    }

    private func consentAD(_ index: UInt64) -> AssociatedData { positionAD("haven/consent-event/v1", index) }

    /// A referral step holds the sender's note and reasons in words: the plaintext is wiped.
    public func sealReferralEvent(_ event: ReferralEvent, index: UInt64) -> [UInt8] {
        var json = event.canonicalJSON()
        defer { json.withUnsafeMutableBytes { wipe($0) } }
        return SealedBox.seal(json, key: dataKey, keyVersion: dataKeyVersion, associatedData: referralAD(index))
    }

    /// A referral event sealed with a given nonce, for the committed known-answer vector only.
    @_spi(FormatVectors)
    public func sealReferralEvent(_ event: ReferralEvent, index: UInt64, fixedNonce: [UInt8]) -> [UInt8] {
        SealedBox.seal(event.canonicalJSON(), key: dataKey, keyVersion: dataKeyVersion, associatedData: referralAD(index),
                       fixedNonce: fixedNonce)
    }

    public func openReferralEvent(index: UInt64, box: UnsafeRawBufferPointer) throws(HavenError) -> ReferralEvent {
        try openHistory(box, referralAD(index)) { (b) throws(HavenError) in try ReferralEvent(canonicalJSON: b) }
    }

    /// Its own domain: a consent event can never open as a referral step, nor the reverse.
    private func referralAD(_ index: UInt64) -> AssociatedData { positionAD("haven/referral-event/v1", index) }

    private func openHistory<T>(_ box: UnsafeRawBufferPointer, _ ad: AssociatedData,
                                _ parse: ([UInt8]) throws(HavenError) -> T) throws(HavenError) -> T {
        let plain: PlaintextBuffer
        do {
            plain = try SealedBox.open(box, key: dataKey, expectedKeyVersion: dataKeyVersion, associatedData: ad)
        } catch {
            throw HavenError.integrity
        }
        return try plain.withUnsafeBytes { (b) throws(HavenError) -> T in try parse(Array(b)) }
    }
}
