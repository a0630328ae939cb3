import Dispatch
import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// At every start, each record's plain index rows compared with what its sealed values
/// make: its assignment rows (`record_assignees`) and referral rows (`referrals`) with the
/// assignees and referrals its sealed header names, and its search-index rows with what its
/// sealed fields index to. What differs is
/// named in the log and in one `vault.repair` entry, and made again from the sealed values.
///
/// Why: no kind of row grants anything (a listed record the header does not assign, a
/// referral row that disagrees with the header, a candidate a search cannot confirm, are
/// dropped), so an inserted row was always caught where it was used. A row deleted or
/// altered is not: it hides a case from its counsellor's `record list`, a referral from its
/// agencies' lists, a record from `record find` and the duplicate check, and nothing the
/// reader sees says so. Someone who can write the database but holds no
/// root key can delete a row; they cannot make the sealed values say anything else.
///
/// The records are read a page at a time and the pages checked on all cores at once, each
/// on a read connection of its own (`ParallelParts`); the rows that differ are replaced
/// afterwards, in one transaction, before the writer starts.
struct DerivedRowsCheck {
    let db: Connection
    let keys: VaultKeys
    let indexer: SearchIndexer
    let logger: Logger
    /// Whether the search index is checked (not when the start has just rebuilt it).
    let search: Bool

    /// What one record's rows were found to lack and to hold beyond its sealed values.
    struct Finding: Sendable {
        let id: RecordID
        var assignees: [UserName]?
        var assignmentsMissing = 0
        var assignmentsExtra = 0
        var searchRows: [SearchIndexEntry]?
        var searchMissing = 0
        var searchExtra = 0
        var referralRows: [StoredReferral]?
        var referralsMissing = 0
        var referralsExtra = 0
    }

    /// The `vault.repair` entry when any row differed, nil when none did.
    func run() throws -> AuditEvent? {
        let started = DispatchTime.now().uptimeNanoseconds
        var checked = 0
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            logger.info("index rows checked against the records' sealed values",
                        metadata: ["records": "\(checked)", "seconds": "\((seconds * 100).rounded() / 100)"])
        }
        let workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let readers = try (0..<workers).map { _ in UncheckedConnection(try Database.openReader(path: db.path, cacheKiB: 1024)) }
        var findings = [Finding]()
        var pages = [[StoredRecord]]()
        var after: RecordID?
        var done = false
        while !done {
            pages.removeAll(keepingCapacity: true)
            while pages.count < workers {
                let page = try RecordTable.list(scope: .all, after: after, limit: 1000, on: db)
                after = page.last?.id
                pages.append(page.filter { $0.status != RecordTombstone.status })
                if page.count < 1000 {
                    done = true
                    break
                }
            }
            db.resetStatements()
            let batch = pages
            checked += batch.reduce(0) { $0 + $1.count }
            let me = Unchecked(self)
            let results = ParallelParts.run(batch.count, threadName: { "haven-derived-\($0)" }) { (i) throws -> [Finding] in
                let reader = readers[i].connection
                defer { reader.resetStatements() }
                // One snapshot per page: outside a transaction each of a record's four reads
                // would take and release the database's read lock (system calls, most of the
                // time at a million records).
                return try reader.transaction(immediate: false) { try batch[i].compactMap { try me.value.check($0, on: reader) } }
            }
            for r in results { findings += try r.get() }
        }
        guard !findings.isEmpty else { return nil }
        try db.transaction {
            for f in findings {
                if let a = f.assignees { try RecordTable.setAssignees(f.id, a, on: db) }
                if let rows = f.searchRows { try SearchIndexTable.replace(f.id, with: rows, on: db) }
                if let rows = f.referralRows { try ReferralTable.replace(f.id, with: rows, on: db) }
            }
        }
        db.resetStatements()
        return repaired(findings)
    }

    /// One record's finding, nil when its rows are what its sealed values make or when it
    /// does not open (a read of it reports that damage; its rows are left as they are).
    private func check(_ row: StoredRecord, on reader: Connection) throws -> Finding? {
        let opening = Result { () throws(HavenError) -> DerivationSource in
            try DerivationSource(row, keys: keys, on: reader, logger: logger)
        }
        let source: DerivationSource
        switch opening {
        case .success(let s): source = s
        case .failure(let error) where error.code == .integrityError: return nil
        case .failure(let error): throw error
        }
        var f = Finding(id: row.id)
        let opened = row.sealedHeader.withUnsafeBytes { b in
            Result { () throws(HavenError) -> RecordHeader in try source.cipher.openHeader(b, version: row.version) }
        }
        if case .success(let header) = opened {
            let expected = Set(header.assignees.map(\.rawValue))
            let stored = Set(try RecordTable.assignees(of: row.id, on: reader))
            if expected != stored {
                f.assignees = header.assignees
                f.assignmentsMissing = expected.subtracting(stored).count
                f.assignmentsExtra = stored.subtracting(expected).count
            }
            let made = header.referrals.map { ReferralService.indexRow($0, record: row.id) }.sorted { $0.id < $1.id }
            let held = try ReferralTable.rows(of: row.id, on: reader)
            if made != held {
                f.referralRows = made
                f.referralsMissing = made.filter { !held.contains($0) }.count
                f.referralsExtra = held.filter { !made.contains($0) }.count
            }
        }
        if search, let made = try? DerivedSearchIndex(indexer: indexer).entries(of: source) {
            let expected = Set(made)
            let stored = Set(try SearchIndexTable.entries(of: row.id, on: reader))
            if expected != stored {
                f.searchRows = Array(expected)
                f.searchMissing = expected.subtracting(stored).count
                f.searchExtra = stored.subtracting(expected).count
            }
        }
        return f.assignees == nil && f.searchRows == nil && f.referralRows == nil ? nil : f
    }

    /// The log line and the audit entry of what was made again.
    private func repaired(_ findings: [Finding]) -> AuditEvent {
        let sum = { (k: KeyPath<Finding, Int>) in String(findings.reduce(0) { $0 + $1[keyPath: k] }) }
        let ids = findings.map(\.id.rawValue)
        var detail = ["assignment_rows_missing": sum(\.assignmentsMissing), "assignment_rows_extra": sum(\.assignmentsExtra),
                      "referral_rows_missing": sum(\.referralsMissing), "referral_rows_extra": sum(\.referralsExtra),
                      "records": String(ids.count), "record_ids": ids.prefix(Self.namedRecords).joined(separator: ",")]
        if search {
            detail["search_rows_missing"] = sum(\.searchMissing)
            detail["search_rows_extra"] = sum(\.searchExtra)
        }
        logger.error("index rows differed from the records' sealed values (edited outside Haven) and were made again",
                     metadata: detail.mapValues { .string($0) })
        return AuditEvent(action: "vault.repair", decision: .allow,
                          rule: "index rows differed from the records' sealed values (edited outside Haven) and were made again",
                          detail: detail)
    }

    /// The most record ids one entry names; `records` counts them all.
    static let namedRecords = 200

    /// A read connection used by one worker at a time.
    private struct UncheckedConnection: @unchecked Sendable {
        let connection: Connection
        init(_ c: Connection) { connection = c }
    }

    /// The check as the workers share it: they use its keys, indexer and logger, never `db`.
    private struct Unchecked: @unchecked Sendable {
        let value: DerivedRowsCheck
        init(_ v: DerivedRowsCheck) { value = v }
    }
}
