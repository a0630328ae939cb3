import HavenCore
import HavenCrypto
import HavenStore

/// At every start, after the log check: every case number row's tag, and every record's
/// number at its own agency. A number grants a lookup, so a row someone swapped, edited,
/// moved to another agency or added refuses the start, named; so does a record whose number
/// was deleted (staff would find its paper entry leads nowhere). Haven has no way to make a
/// lost number again (it was made from a count, not from the record), so there is nothing
/// to repair: the operator restores the data directory from a backup.
struct CaseNumberCheck {
    let db: Connection
    let keys: VaultKeys
    /// The records' latest audited states: a record whose own row was changed outside Haven
    /// (its agency edited) is refused where it is used, as before case numbers, and is not
    /// taken here for a record whose number was deleted.
    let ledger: StateLedger

    /// The most findings one refusal names.
    static let named = 5

    func run() throws {
        var bad = [String]()
        var count = 0
        try CaseNumberTable.forEach(on: db) { row, tag in
            guard Tag16(tag) != keys.rows.caseNumber(row) else { return }
            count += 1
            if bad.count < Self.named { bad.append("\(row.number) of agency \(row.agency) (record \(row.record))") }
        }
        db.resetStatements()
        if count > 0 {
            throw HavenError(.integrityError, "refusing to start: table case_numbers: \(count) case number row(s) changed outside Haven: "
                             + bad.joined(separator: ", ") + (count > bad.count ? ", …" : ""),
                             hint: "restore the data directory from a backup; a case number grants a lookup of its record")
        }
        let lost = try CaseNumberTable.recordsWithoutNumber(limit: 1000, on: db).filter { raw in
            guard let id = try? RecordID(raw), let row = try RecordTable.load(id, on: db) else { return true }
            if case .fresh = ledger.check(id, stored: keys.rows.record(row), in: .writer) { return true }
            return false
        }
        db.resetStatements()
        if !lost.isEmpty {
            throw HavenError(.integrityError, "refusing to start: table case_numbers: the case number of record(s) "
                             + lost.prefix(Self.named).joined(separator: ", ") + (lost.count > Self.named ? ", …" : "")
                             + " at their own agency was deleted outside Haven",
                             hint: "restore the data directory from a backup")
        }
    }
}
