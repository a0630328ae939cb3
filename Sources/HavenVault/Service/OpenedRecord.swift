import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

/// A record whose data key is unwrapped and whose header opened and matched its row.
struct OpenedRecord {
    let row: StoredRecord
    let header: RecordHeader
    let cipher: RecordCipher
    let type: RecordType

    /// What the policy decides on; every fact comes from the sealed header, and `notes` (the
    /// page a read shows) from rows the header counts.
    func facts(notes: [NoteMetadata] = []) -> RecordFacts {
        RecordFacts(id: header.id, type: type, agency: header.agency, assignees: header.assignees,
                    consent: header.consent, notes: notes,
                    presentFields: type.fields.map(\.name).filter { header.fieldVersions[$0] != nil },
                    referrals: header.referrals)
    }

    var facts: RecordFacts { facts() }
}

/// Where a request opens a record: a reader's snapshot, which may trail the writer, or the
/// writer's own transaction; the state ledger is consulted accordingly.
struct StoreView {
    let db: Connection
    let freshness: StateLedger.View

    static func writer(_ db: Connection) -> StoreView { StoreView(db: db, freshness: .writer) }
}

extension Vault {
    /// Loads and opens a record. Not found is `not_found`; a row that is not the latest
    /// audited state (restored from an older copy, deleted, inserted), anything that fails to
    /// authenticate, or a plain column that disagrees with the sealed header is
    /// `integrity_error`.
    func openRecord(_ id: RecordID, in view: StoreView, policy: Policy) throws(HavenError) -> OpenedRecord {
        let stored = try storeCall(logger) { try RecordTable.load(id, on: view.db) }
        switch ledger.check(id, stored: stored.map(keys.rows.record), in: view.freshness) {
        case .fresh: break
        case .notFound: throw HavenError.notFound("no record \(id)")
        case .raced: throw Self.snapshotRaced
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
}
