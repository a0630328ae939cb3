import HavenCore
import HavenCrypto
import HavenStore

/// At every start, after the log check: every case number row's tag and lookup form, every
/// record's number at its own agency, and each agency's count of a year against its mark. A number grants a lookup, so a row someone swapped, edited,
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
        let misled = try CaseNumberTable.wrongLookups(limit: Self.named + 1, on: db)
        db.resetStatements()
        if !misled.isEmpty {
            throw HavenError(.integrityError, "refusing to start: table case_numbers: the lookup column of "
                             + misled.prefix(Self.named).map { "\($0.number) of agency \($0.agency) (record \($0.record))" }
                                .joined(separator: ", ") + (misled.count > Self.named ? ", …" : "")
                             + " is not its number's: changed outside Haven, it would lead a lookup to another record",
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
        try checkCounts()
    }

    /// Each agency's numbers of a year run from 1 with no gap up to its tagged mark: a number
    /// deleted, even the newest (which the rows alone cannot show), would be given again to
    /// another record, and a paper file's number would then open that record.
    func checkCounts() throws {
        var marks = [String: (CaseNumberMark, [UInt8])]()
        for (mark, tag) in try CaseNumberTable.marks(on: db) { marks["\(mark.agency) \(mark.year)"] = (mark, tag) }
        let counts = try CaseNumberTable.sequences(on: db)
        db.resetStatements()
        var bad = [String]()
        for c in counts {
            let key = "\(c.agency) \(c.year)"
            let found = marks.removeValue(forKey: key)
            if c.lowest != 1 || c.count != c.highest {
                bad.append("agency \(c.agency)'s numbers of \(c.year) do not run from 1 to \(c.highest) without a gap")
            } else if let (mark, tag) = found {
                if Tag16(tag) != keys.rows.caseNumberMark(mark) {
                    bad.append(Self.markFinding(mark))
                } else if mark.sequence != c.highest {
                    bad.append("agency \(c.agency) gave \(mark.sequence) numbers in \(c.year), its rows hold \(c.highest)")
                }
            } else {
                bad.append("agency \(c.agency)'s numbers of \(c.year) have no mark")
            }
        }
        for (mark, _) in marks.values.sorted(by: { ($0.0.agency, $0.0.year) < ($1.0.agency, $1.0.year) }) {
            bad.append("agency \(mark.agency) gave \(mark.sequence) numbers in \(mark.year), its rows hold none")
        }
        guard bad.isEmpty else {
            throw HavenError(.integrityError, "refusing to start: table case_numbers: " + bad.prefix(Self.named).joined(separator: ", ")
                             + (bad.count > Self.named ? ", …" : "") + " (changed outside Haven: a deleted number would be given again)",
                             hint: "restore the data directory from a backup; a case number grants a lookup of its record")
        }
    }

    static func markFinding(_ m: CaseNumberMark) -> String {
        "the mark of agency \(m.agency)'s numbers of \(m.year) (table case_number_marks) was changed outside Haven"
    }
}
