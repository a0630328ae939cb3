import HavenCore

/// One case number as stored: which agency gave it to which record, and when.
public struct StoredCaseNumber: Sendable, Equatable {
    public let agency: String
    public let year: Int
    public let sequence: Int
    /// As shown (`OV-26-0042`): the prefix is the one the policy gave when it was made.
    public let number: String
    public let record: String

    public init(agency: String, year: Int, sequence: Int, number: String, record: String) {
        self.agency = agency
        self.year = year
        self.sequence = sequence
        self.number = number
        self.record = record
    }
}

/// An agency's highest count of a year, as its tagged mark holds it: numbers are counted
/// from the rows, so without it the newest number deleted would be given again.
public struct CaseNumberMark: Sendable, Equatable {
    public let agency: String
    public let year: Int
    public let sequence: Int

    public init(agency: String, year: Int, sequence: Int) {
        self.agency = agency
        self.year = year
        self.sequence = sequence
    }
}

/// Case numbers (schema 11): each record's number at its agency and at each agency that
/// accepted a referral of it. A row grants a lookup, so each carries its tag under the
/// vault's row key (`tag`), checked at every start and at every use; Haven never changes or
/// deletes a row, so a number once given stays the record's. The plain columns are
/// metadata, like a record's type and times: an agency, a year and a count.
public enum CaseNumberTable {
    /// Adds a number. A second number of one record at one agency, or a number given twice,
    /// is refused by the keys (a constraint error).
    public static func insert(_ n: StoredCaseNumber, tag: [UInt8], on db: Connection) throws {
        try db.statement("""
            INSERT INTO case_numbers (agency, year, seq, number, lookup, record_id, tag) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
            .bind(1, n.agency).bind(2, Int64(n.year)).bind(3, Int64(n.sequence)).bind(4, n.number)
            .bind(5, CaseNumber.lookupKey(n.number)).bind(6, n.record).bind(7, blob: tag).run()
    }

    /// The next count of `agency` in `year` (1 for its first).
    public static func nextSequence(agency: String, year: Int, on db: Connection) throws -> Int {
        let s = try db.statement("SELECT coalesce(max(seq), 0) FROM case_numbers WHERE agency = ? AND year = ?")
            .bind(1, agency).bind(2, Int64(year))
        defer { s.reset() }
        _ = try s.step()
        return Int(s.int64(0)) + 1
    }

    /// The number `agency` gave, found by its lookup form (`CaseNumber.lookupKey`), with its tag.
    public static func find(agency: String, lookup: String, on db: Connection) throws -> (StoredCaseNumber, [UInt8])? {
        try one("WHERE agency = ? AND lookup = ?", agency, lookup, on: db)
    }

    /// The record's number at `agency`, with its tag.
    public static func number(of record: String, agency: String, on db: Connection) throws -> (StoredCaseNumber, [UInt8])? {
        try one("WHERE record_id = ? AND agency = ?", record, agency, on: db)
    }

    private static func one(_ clause: String, _ a: String, _ b: String, on db: Connection) throws -> (StoredCaseNumber, [UInt8])? {
        let s = try db.statement("SELECT agency, year, seq, number, record_id, tag FROM case_numbers " + clause).bind(1, a).bind(2, b)
        defer { s.reset() }
        guard try s.step() else { return nil }
        return (row(s), s.blob(5))
    }

    /// Every row with its tag, by agency, year and count.
    public static func forEach(on db: Connection, _ body: (StoredCaseNumber, [UInt8]) throws -> Void) throws {
        let s = try db.statement("SELECT agency, year, seq, number, record_id, tag FROM case_numbers ORDER BY agency, year, seq")
        defer { s.reset() }
        while try s.step() { try body(row(s), s.blob(5)) }
    }

    /// Sets an agency's highest count of a year (`case_number_marks`), written in the
    /// transaction that gives the number.
    public static func setMark(_ m: CaseNumberMark, tag: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO case_number_marks (agency, year, seq, tag) VALUES (?, ?, ?, ?)")
            .bind(1, m.agency).bind(2, Int64(m.year)).bind(3, Int64(m.sequence)).bind(4, blob: tag).run()
    }

    /// `agency`'s mark of `year`, with its tag; nil before its first number of the year.
    public static func mark(agency: String, year: Int, on db: Connection) throws -> (CaseNumberMark, [UInt8])? {
        let s = try db.statement("SELECT agency, year, seq, tag FROM case_number_marks WHERE agency = ? AND year = ?")
            .bind(1, agency).bind(2, Int64(year))
        defer { s.reset() }
        guard try s.step() else { return nil }
        return (CaseNumberMark(agency: s.string(0), year: Int(s.int64(1)), sequence: Int(s.int64(2))), s.blob(3))
    }

    /// Every mark with its tag, by agency and year.
    public static func marks(on db: Connection) throws -> [(CaseNumberMark, [UInt8])] {
        let s = try db.statement("SELECT agency, year, seq, tag FROM case_number_marks ORDER BY agency, year")
        defer { s.reset() }
        var out = [(CaseNumberMark, [UInt8])]()
        while try s.step() { out.append((CaseNumberMark(agency: s.string(0), year: Int(s.int64(1)), sequence: Int(s.int64(2))), s.blob(3))) }
        return out
    }

    /// Each agency's counts of a year as the rows hold them: how many rows, the lowest and the
    /// highest count. With counts unique per agency and year, `count == highest` and
    /// `lowest == 1` is a run from 1 with no gap.
    public static func sequences(on db: Connection) throws -> [(agency: String, year: Int, count: Int, lowest: Int, highest: Int)] {
        let s = try db.statement("SELECT agency, year, count(*), min(seq), max(seq) FROM case_numbers GROUP BY agency, year ORDER BY agency, year")
        defer { s.reset() }
        var out = [(agency: String, year: Int, count: Int, lowest: Int, highest: Int)]()
        while try s.step() { out.append((s.string(0), Int(s.int64(1)), Int(s.int64(2)), Int(s.int64(3)), Int(s.int64(4)))) }
        return out
    }

    /// Rows whose lookup column is not their number's lookup form (it is not under the tag),
    /// at most `limit`.
    public static func wrongLookups(limit: Int, on db: Connection) throws -> [StoredCaseNumber] {
        let s = try db.statement("SELECT agency, year, seq, number, record_id, lookup FROM case_numbers ORDER BY agency, year, seq")
        defer { s.reset() }
        var out = [StoredCaseNumber]()
        while out.count < limit, try s.step() {
            if s.string(5) != CaseNumber.lookupKey(s.string(3)) { out.append(row(s)) }
        }
        return out
    }

    /// Replaces a row's tag (a root key rotation tags every row again under the new key).
    public static func setTag(_ n: StoredCaseNumber, tag: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE case_numbers SET tag = ? WHERE agency = ? AND year = ? AND seq = ?")
            .bind(1, blob: tag).bind(2, n.agency).bind(3, Int64(n.year)).bind(4, Int64(n.sequence)).run()
    }

    /// Replaces a mark's tag (a root key rotation).
    public static func setMarkTag(_ m: CaseNumberMark, tag: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE case_number_marks SET tag = ? WHERE agency = ? AND year = ?")
            .bind(1, blob: tag).bind(2, m.agency).bind(3, Int64(m.year)).run()
    }

    /// Records with no number at their own agency: every record gets one as it is made, so
    /// each of these lost its row outside Haven. At most `limit`, by id.
    public static func recordsWithoutNumber(limit: Int, on db: Connection) throws -> [String] {
        let s = try db.statement("""
            SELECT id FROM records r WHERE NOT EXISTS
                (SELECT 1 FROM case_numbers c WHERE c.record_id = r.id AND c.agency = r.agency) ORDER BY id LIMIT ?
            """).bind(1, Int64(limit))
        defer { s.reset() }
        var out = [String]()
        while try s.step() { out.append(s.string(0)) }
        return out
    }

    /// Every record's id, agency and creation time, the oldest first (the upgrade to schema 11
    /// numbers them in this order).
    public static func recordsByCreation(on db: Connection) throws -> [(id: String, agency: String, createdAt: Int64)] {
        let s = try db.statement("SELECT id, agency, created_at FROM records ORDER BY created_at, id")
        defer { s.reset() }
        var out = [(id: String, agency: String, createdAt: Int64)]()
        while try s.step() { out.append((s.string(0), s.string(1), s.int64(2))) }
        return out
    }

    private static func row(_ s: Statement) -> StoredCaseNumber {
        StoredCaseNumber(agency: s.string(0), year: Int(s.int64(1)), sequence: Int(s.int64(2)), number: s.string(3), record: s.string(4))
    }
}
