import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// The search index as a kind of derived row: its fingerprint is `search_fields`, what the
/// policy marks searchable and how, with the index format (`SearchIndexer.layout`): a vault
/// of format 1 (one key per field for every agency) or 2 (names with their titles) has its
/// rows made again, per agency and in the current search forms, as the daemon starts. The field rows it makes are
/// vouched for by each search, which confirms every candidate against its record.
struct DerivedSearchIndex: DerivedRows {
    let indexer: SearchIndexer

    var unopened: Logger.Message { "record not indexed: it does not open" }

    func staleness(on db: Connection) throws -> DerivedRowsStaleness {
        let had = try SearchIndexTable.layout(on: db)
        guard had != indexer.layout else { return .current }
        guard !had.isEmpty else { return .neverBuilt }
        // Format 1 stored the bare kind (`name`), format 2 on `name/2`, `name/3`.
        let unversioned = { (l: Set<SearchFieldLayout>) in
            Set(l.map { SearchFieldLayout(field: $0.field, kind: String($0.kind.prefix { $0 != "/" }), bits: $0.bits) })
        }
        return unversioned(had) == unversioned(indexer.layout) ? .formatChanged : .fieldsChanged
    }

    func removeAll(on db: Connection) throws {
        try SearchIndexTable.removeAll(on: db)
    }

    func derive(_ record: DerivationSource, on db: Connection) throws {
        try SearchIndexTable.insert(record.row.id, try entries(of: record), on: db)
    }

    func markCurrent(on db: Connection) throws {
        try SearchIndexTable.setLayout(indexer.layout, on: db)
    }

    func rebuilt(_ outcome: DerivedRowsOutcome, logger: Logger) -> AuditEvent {
        let fields = indexer.layout.map { "\($0.field):\($0.kind):\($0.bits)" }.sorted().joined(separator: ",")
        logger.notice("search index rebuilt", metadata: ["records": "\(outcome.records)", "fields": "\(fields)"])
        var detail = ["fields": fields, "records": String(outcome.records)]
        if !outcome.skipped.isEmpty { detail["not_indexed"] = outcome.skipped.joined(separator: ",") }
        let rule = switch outcome.staleness {
        case .neverBuilt: "search index built for the fields the policy marks searchable"
        case .formatChanged: "search index rebuilt in index format \(SearchIndexer.format): a key per agency, names without their titles"
        default: "search index rebuilt: the policy's searchable fields changed"
        }
        return AuditEvent(action: "vault.reindex", decision: .allow, rule: rule, detail: detail)
    }

    /// The rows of one record: its indexed fields' values, each opened under the version its
    /// row names. The sealed header is not opened (it would be most of the cost): a field
    /// rolled back outside Haven opens under its old version and indexes its old value, a
    /// candidate that every search then confirms against the header and drops, naming the
    /// damage in its audit entry — as it does with any index row it cannot trust.
    func entries(of record: DerivationSource) throws(HavenError) -> [SearchIndexEntry] {
        var values = [(FieldName, String)]()
        for field in record.fields {
            guard let name = try? FieldName(field.name), indexer.fields[name] != nil else { continue }
            let value = field.ciphertext.withUnsafeBytes { b in
                Result { () throws(CryptoError) -> PlaintextBuffer in try record.cipher.openField(name, version: field.version, box: b) }
            }
            guard case .success(let plain) = value else { throw HavenError.integrity }
            values.append((name, plain.string()))
        }
        return indexer.entries(values, agency: record.row.agency)
    }
}
