import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging

/// Opens stored records and their values, and nothing else: every open goes through the
/// state ledger and the record's own keys, so a row restored from an older copy, a forged
/// row or a swapped ciphertext is refused here, whichever service asked.
struct RecordOpener: Sendable {
    let keys: VaultKeys
    let ledger: StateLedger
    let logger: Logger

    /// Loads and opens a record. Not found is `not_found`; a row that is not the latest
    /// audited state (restored from an older copy, deleted, inserted), anything that fails to
    /// authenticate, or a plain column that disagrees with the sealed header is
    /// `integrity_error`.
    func open(_ id: RecordID, in view: StoreView, policy: Policy) throws(HavenError) -> OpenedRecord {
        let stored = try storeCall(logger) { try RecordTable.load(id, on: view.db) }
        switch ledger.check(id, stored: stored.map(keys.rows.record), in: view.freshness) {
        case .fresh: break
        case .notFound: throw HavenError.notFound("no record \(id)")
        case .raced: throw RequestPipeline.snapshotRaced
        case .mismatch(let finding):
            logger.error("record is not in its latest audited state", metadata: ["record": "\(id)", "finding": "\(finding)"])
            throw HavenError.integrityFinding(finding)
        }
        guard let row = stored else { throw HavenError.notFound("no record \(id)") }
        // Checked after the ledger: only a tombstone written through Haven is believed.
        guard row.status != RecordTombstone.status else { throw Self.erasedError(id, row) }
        let dataKey: SecureBytes
        do {
            dataKey = try keys.dataKeys.unwrap(row.wrappedKey, record: id, dataKeyVersion: row.dataKeyVersion)
        } catch {
            logger.error("record data key failed to unwrap", metadata: ["record": "\(id)"])
            throw HavenError.integrity
        }
        let cipher = RecordCipher(vault: keys.vaultID, record: id, dataKey: dataKey, dataKeyVersion: row.dataKeyVersion)
        let opened = row.sealedHeader.withUnsafeBytes { b in
            Result { () throws(HavenError) -> RecordHeader in try cipher.openHeader(b, version: row.version) }
        }
        guard case .success(let header) = opened else {
            logger.error("record header failed its integrity check", metadata: ["record": "\(id)"])
            throw HavenError.integrity
        }
        guard header.type.rawValue == row.type, header.agency.rawValue == row.agency,
              header.status.rawValue == row.status else {
            logger.error("record row disagrees with its sealed header", metadata: ["record": "\(id)"])
            throw HavenError.integrity
        }
        guard let type = policy.recordTypes[header.type] else {
            throw HavenError(.conflict, "record \(id) is of type \(header.type), which the policy in force no longer defines",
                             hint: "restore the type's schema file in policy/schema/")
        }
        return OpenedRecord(row: row, header: header, cipher: cipher, type: type)
    }

    /// Opens one field value; the version comes from the sealed header, never from the row,
    /// so a field rolled back to an older ciphertext fails here.
    func openField(_ name: FieldName, of record: OpenedRecord, stored: [String: StoredField]) throws(HavenError) -> PlaintextBuffer {
        guard let version = record.header.fieldVersions[name], let field = stored[name.rawValue] else {
            logger.error("a field the header lists has no ciphertext", metadata: ["record": "\(record.header.id)", "field": "\(name)"])
            throw HavenError.integrity
        }
        let opened = field.ciphertext.withUnsafeBytes { b in
            Result { () throws(CryptoError) -> PlaintextBuffer in try record.cipher.openField(name, version: version, box: b) }
        }
        guard case .success(let value) = opened else {
            logger.error("field failed its integrity check", metadata: ["record": "\(record.header.id)", "field": "\(name)"])
            throw HavenError.integrity
        }
        return value
    }

    /// What a request for an erased record says (410 `erased`): the date only. Who erased
    /// it stays in the tombstone and the audit log, for auditors; and to a caller who could
    /// not have read the record the pipeline answers `not_found` instead
    /// (`RequestPipeline.erasedAnswer`).
    static func erasedError(_ id: RecordID, _ row: StoredRecord) -> HavenError {
        guard let t = RecordTombstone(bytes: row.sealedHeader) else {
            return HavenError(.erased, "record \(id) was erased")
        }
        return HavenError(.erased, "record \(id) was erased on \(t.erasedAt.rfc3339.prefix(10))",
                          hint: "nothing of it can be read any more")
    }

    /// The row of erased record `id` if it is one, in its latest audited state (nil
    /// otherwise, or when anything about it does not check out).
    func tombstone(_ id: RecordID, in view: StoreView) -> StoredRecord? {
        guard let stored = try? RecordTable.load(id, on: view.db), stored.status == RecordTombstone.status,
              case .fresh = ledger.check(id, stored: keys.rows.record(stored), in: view.freshness) else { return nil }
        return stored
    }
}
