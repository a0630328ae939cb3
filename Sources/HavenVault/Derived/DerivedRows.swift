import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// One kind of row the vault derives from each record's sealed values and keeps beside it
/// (the search index, the statistics rows). Each kind stores a fingerprint of the policy
/// fields its rows were made from; when the policy names other fields (a vault upgraded to
/// the schema that added them, a root key rotated, a policy key added or changed), every
/// record's rows of that kind are made again as the daemon starts (`DerivedRowsRebuild`).
protocol DerivedRows {
    /// Whether the stored rows were made from the fields the policy names now.
    func staleness(on db: Connection) throws -> DerivedRowsStaleness
    /// Empties the rows (and their fingerprint), first thing in a rebuild.
    func removeAll(on db: Connection) throws
    /// Makes and stores one record's rows; `HavenError.integrity` when a value it needs
    /// does not open.
    func derive(_ record: DerivationSource, on db: Connection) throws
    /// Stores the fingerprint of the fields the rows are now made from, last thing in a rebuild.
    func markCurrent(on db: Connection) throws
    /// The daemon's log line for a record that does not open, left without rows of this kind.
    var unopened: Logger.Message { get }
    /// Logs what a rebuild that met at least one record did, and returns its audit entry.
    func rebuilt(_ outcome: DerivedRowsOutcome, logger: Logger) -> AuditEvent
}

/// How the stored rows of one kind stand against the policy.
enum DerivedRowsStaleness: Equatable {
    case current
    /// No fingerprint: the rows were never built (a new table, or emptied by a rotation).
    case neverBuilt
    /// Built from other fields than the policy names now.
    case fieldsChanged
    /// Built from the same fields in an earlier format (search index format 1: one key per
    /// field for every agency).
    case formatChanged
}

/// What a rebuild did for one kind of row.
struct DerivedRowsOutcome {
    var staleness: DerivedRowsStaleness
    /// Records given rows.
    var records = 0
    /// Records that did not open, left without rows, by id.
    var skipped = [String]()
}

/// One record as every kind of derived row reads it: its row, its cipher and its stored
/// fields, each got once in a walk however many kinds are rebuilt.
struct DerivationSource {
    let row: StoredRecord
    let cipher: RecordCipher
    let fields: [StoredField]

    /// `HavenError.integrity` when the record's data key does not unwrap.
    init(_ row: StoredRecord, keys: VaultKeys, on db: Connection, logger: Logger) throws(HavenError) {
        let dataKey: SecureBytes
        do {
            dataKey = try keys.dataKeys.unwrap(row.wrappedKey, record: row.id, dataKeyVersion: row.dataKeyVersion)
        } catch {
            throw HavenError.integrity
        }
        self.row = row
        cipher = RecordCipher(vault: keys.vaultID, record: row.id, dataKey: dataKey, dataKeyVersion: row.dataKeyVersion)
        fields = try storeCall(logger) { try RecordTable.fields(of: row.id, on: db) }
    }
}
