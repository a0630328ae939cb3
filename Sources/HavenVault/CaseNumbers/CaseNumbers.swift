import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging

/// Case numbers: given in the writer's transaction of the write that makes the record (its
/// agency's) or accepts a referral of it (the receiving agency's), read back only through
/// their tags. A row that fails its tag is an integrity finding, never a number or a record.
///
/// Invariant: a number names one record at one agency, and only that agency's staff can look
/// a record up by it (`resolve`); what they may then do with the record is decided as for
/// its id. A number is made from the agency's prefix, the year and a count — nothing the
/// record holds.
struct CaseNumbers: Sendable {
    let keys: VaultKeys
    let logger: Logger

    /// Gives `record` its number at `agency`, unless it has one there already (a record
    /// referred to the same agency twice keeps the first). Returns the record's number there.
    @discardableResult
    func assign(_ record: RecordID, agency: AgencyName, policy: Policy, at now: Timestamp,
                on db: Connection) throws(HavenError) -> String {
        if let held = try number(of: record, at: agency, on: db) { return held }
        let row = try storeCall(logger) {
            try Self.next(record, agency: agency, prefix: policy.agencies.casePrefix(for: agency), at: now, on: db)
        }
        try checkMark(before: row, on: db)
        return try storeCall(logger) { () throws -> String in
            try Self.store(row, keys: keys, on: db)
            return row.number
        }
    }

    /// Before a number is given: the agency's mark of the year must pass its tag and stand
    /// at the highest count the rows hold, so the number about to be given is one never
    /// given. A newest row deleted outside Haven (the mark above the rows), a mark deleted or
    /// lowered (the rows above it) or a mark that fails its tag stops the write: giving the
    /// number again would send a paper file's number to another survivor's record.
    private func checkMark(before row: StoredCaseNumber, on db: Connection) throws(HavenError) {
        let found = try storeCall(logger) { try CaseNumberTable.mark(agency: row.agency, year: row.year, on: db) }
        let highest = row.sequence - 1
        let agreed: Bool
        if let (mark, tag) = found {
            agreed = Tag16(tag) == keys.rows.caseNumberMark(mark) && mark.sequence == highest
        } else {
            agreed = highest == 0
        }
        guard agreed else {
            logger.error("case number mark does not match the numbers given",
                         metadata: ["agency": "\(row.agency)", "year": "\(row.year)"])
            throw HavenError.integrityFinding("the case numbers of agency \(row.agency) in \(row.year) (tables case_numbers "
                                              + "and case_number_marks) were changed outside Haven: no number is given "
                                              + "until the data directory is restored")
        }
    }

    /// The number `record` would get at `agency` now: the agency's next count of the year.
    static func next(_ record: RecordID, agency: AgencyName, prefix: String, at time: Timestamp,
                     on db: Connection) throws -> StoredCaseNumber {
        let year = Int(time.rfc3339.prefix(4)) ?? 0
        let sequence = try CaseNumberTable.nextSequence(agency: agency.rawValue, year: year, on: db)
        return StoredCaseNumber(agency: agency.rawValue, year: year, sequence: sequence,
                                number: CaseNumber(prefix: prefix, year: year, sequence: sequence).description, record: record.rawValue)
    }

    /// Writes a number given and raises its agency's mark of the year to it (the number is
    /// the highest: `next`).
    static func store(_ row: StoredCaseNumber, keys: VaultKeys, on db: Connection) throws {
        try CaseNumberTable.insert(row, tag: keys.rows.caseNumber(row).bytes, on: db)
        let mark = CaseNumberMark(agency: row.agency, year: row.year, sequence: row.sequence)
        try CaseNumberTable.setMark(mark, tag: keys.rows.caseNumberMark(mark).bytes, on: db)
    }

    /// The record `typed` names among `agency`'s numbers; `not_found` for a number it did not
    /// give, whether or not another agency did (the answer must not say which).
    func resolve(_ typed: String, agency: AgencyName, on db: Connection) throws(HavenError) -> RecordID {
        let found = try storeCall(logger) { try CaseNumberTable.find(agency: agency.rawValue, lookup: CaseNumber.lookupKey(typed), on: db) }
        guard let found else { throw Self.neverGiven(typed) }
        try check(found)
        // The lookup column is not under the tag (it is made from the number): a row found by
        // a lookup form that is not its own number's was swapped outside Haven, and leads to
        // another record than the one typed.
        guard CaseNumber.lookupKey(found.0.number) == CaseNumber.lookupKey(typed) else {
            logger.error("case number row found by another number's lookup", metadata: ["agency": "\(found.0.agency)", "number": "\(found.0.number)"])
            throw HavenError.integrityFinding("case number \(NameRules.printable(typed)) of agency \(found.0.agency) "
                                              + "(table case_numbers) leads to another number's row, changed outside Haven")
        }
        guard let id = try? RecordID(found.0.record) else { throw HavenError.integrityFinding(Self.finding(found.0)) }
        return id
    }

    /// The record's number at `agency`, nil if that agency never numbered it.
    func number(of record: RecordID, at agency: AgencyName, on db: Connection) throws(HavenError) -> String? {
        guard let found = try storeCall(logger, { try CaseNumberTable.number(of: record.rawValue, agency: agency.rawValue, on: db) })
        else { return nil }
        try check(found)
        return found.0.number
    }

    /// The answer to a number no agency of the caller's gave: the same words whether it was
    /// never given, given by another agency, or names a record the caller may not learn was erased.
    static func neverGiven(_ typed: String) -> HavenError {
        HavenError.notFound("no record with case number \(NameRules.printable(typed))")
    }

    /// The number a caller at `caller` knows the record by: their agency's, else the record's
    /// own agency's (a record seen through oversight or break-glass). A row that fails its tag
    /// is an integrity finding: a read or an extract must not go out without its number.
    func known(_ record: RecordID, owner: AgencyName, caller: AgencyName, on db: Connection) throws(HavenError) -> String? {
        if let mine = try number(of: record, at: caller, on: db) { return mine }
        return caller == owner ? nil : try number(of: record, at: owner, on: db)
    }

    /// As `known`, for lists: a row that fails its tag shows no number and is logged, since a
    /// listing of other records must go on.
    func shown(_ record: RecordID, owner: AgencyName, caller: AgencyName, on db: Connection) -> String? {
        do throws(HavenError) {
            return try known(record, owner: owner, caller: caller, on: db)
        } catch {
            logger.error("case number not shown", metadata: ["record": "\(record)", "error": "\(error.message)"])
            return nil
        }
    }

    /// Each found record's number as `shown` to a caller at `caller`.
    func label(_ found: inout [FoundRecord], caller: AgencyName, on db: Connection) {
        for i in found.indices {
            guard let id = try? RecordID(found[i].id), let owner = try? AgencyName(found[i].agency) else { continue }
            found[i].caseNumber = shown(id, owner: owner, caller: caller, on: db)
        }
    }

    /// A referral's numbers at its two agencies, where the caller sees its record.
    func label(_ summary: inout ReferralSummary, record: RecordID, on db: Connection) {
        guard summary.record != nil, let to = try? AgencyName(summary.to), let from = try? AgencyName(summary.from) else { return }
        summary.caseNumber = try? number(of: record, at: to, on: db)
        summary.fromCaseNumber = try? number(of: record, at: from, on: db)
    }

    private func check(_ found: (StoredCaseNumber, [UInt8])) throws(HavenError) {
        guard let tag = Tag16(found.1), tag == keys.rows.caseNumber(found.0) else {
            logger.error("case number row fails its tag", metadata: ["agency": "\(found.0.agency)", "number": "\(found.0.number)"])
            throw HavenError.integrityFinding(Self.finding(found.0))
        }
    }

    static func finding(_ n: StoredCaseNumber) -> String {
        "case number \(n.number) of agency \(n.agency) (table case_numbers) was changed outside Haven"
    }
}
