import HavenCore

/// Where an entry about a record stands in that record's chain (`record_prev`, FORMAT.md
/// "entries by record"). Entries are found by record through these links rather than an
/// index by record: an index puts every new entry on a random page of its own, a link is
/// written with the entry, on the page the log is appending to anyway.
public enum AuditRecordLink: Sendable, Equatable {
    /// The record's first chained entry.
    case first
    /// Follows entry `seq`, the record's previous chained entry.
    case after(UInt64)
    /// About an id the vault held no record of: in no chain, found through a partial index.
    case unchained

    /// The stored value: -1 for the first, the previous entry's seq, -2 for none. (NULL is an
    /// entry about no record, or one written before links, in `audit_earlier_by_record`.)
    public var column: Int64 {
        switch self {
        case .first: return -1
        case .after(let seq): return Int64(clamping: seq)
        case .unchained: return -2
        }
    }

    /// From the stored value; nil for NULL and for a value no release writes.
    public init?(column: Int64?) {
        guard let column else { return nil }
        switch column {
        case -2: self = .unchained
        case -1: self = .first
        case 0...: self = .after(UInt64(column))
        default: return nil
        }
    }
}

/// Where one record's chain starts for a search: its latest chained entry and the size of the
/// log, read together from the writer's memory before the search's snapshot began, so every
/// chained entry before `logSize` is reachable from `latest` in that snapshot.
public struct AuditRecordChain: Sendable {
    /// The record's latest chained entry; nil when it has none (or the id is no record's).
    public let latest: UInt64?
    /// Entries from here on were not committed when `latest` was read: a search leaves them
    /// out, so that its chained and unchained entries are of one moment.
    public let logSize: UInt64

    public init(latest: UInt64?, logSize: UInt64) {
        self.latest = latest
        self.logSize = logSize
    }
}

/// A record's chain does not hold together: a link points at no entry, at an entry about
/// another record, or forward. Only an edit of the file outside Haven does that.
public struct AuditChainBroken: Error, CustomStringConvertible {
    public let seq: UInt64
    public var description: String { "audit entry \(seq) is not a link of its record's chain (edited outside Haven)" }
}

extension AuditTable {
    /// Binds `args` (Int64 or String) to `s` from parameter 1 on.
    static func bind(_ args: [Any], to s: Statement) throws {
        for (i, a) in args.enumerated() {
            switch a {
            case let v as Int64: try s.bind(Int32(i + 1), v)
            case let v as String: try s.bind(Int32(i + 1), v)
            default: preconditionFailure("unsupported argument type \(type(of: a))")
            }
        }
    }

    /// `search` for one record: its chain, walked newest first from `chain.latest`, merged with
    /// the entries about the id outside its chain, which indexes find: those written while
    /// the vault held no such record (a partial index of `audit_entries`), and those written
    /// before links (`audit_earlier_by_record`). A page newest first after another resumes at
    /// the link of the previous page's last entry; a page oldest first walks the chain down
    /// to its cursor, so it costs one lookup per chained entry of the record after the cursor.
    static func searchRecord(_ record: String, chain: AuditRecordChain, filter: AuditFilter, newestFirst: Bool, cursor: UInt64?,
                             limit: Int, countLimit: Int64,
                             on db: Connection) throws -> (rows: [(seq: UInt64, entry: [UInt8])], remaining: Int64) {
        let (clauses, args) = filter.clauses()
        let matches = clauses.isEmpty ? "1" : clauses.joined(separator: " AND ")
        // The page, and as many more as `remaining` counts.
        let wanted = limit + Int(clamping: countLimit)
        let end = chain.logSize

        var next = chain.latest
        if newestFirst, let cursor, cursor < end {
            let s = try db.statement("SELECT record, record_prev FROM audit_entries WHERE seq = ?")
            try s.bind(1, Int64(clamping: cursor))
            if try s.step(), s.string(0) == record, let link = AuditRecordLink(column: s.optionalInt64(1)) {
                switch link {
                case .after(let previous): next = previous
                case .first: next = nil
                case .unchained: break  // the cursor is not of the chain: walk it from its start
                }
            }
        }
        /// The next chained entry, newest first, and whether the other filters match it.
        func walk() throws -> (seq: UInt64, matches: Bool)? {
            guard let seq = next else { return nil }
            let s = try db.statement("SELECT record, record_prev, \(matches) FROM audit_entries WHERE seq = ?")
            try bind(args + [Int64(clamping: seq)], to: s)
            guard try s.step(), s.string(0) == record, let link = AuditRecordLink(column: s.optionalInt64(1)) else {
                throw AuditChainBroken(seq: seq)
            }
            switch link {
            case .first: next = nil
            case .after(let previous):
                guard previous < seq else { throw AuditChainBroken(seq: seq) }
                next = previous
            case .unchained: throw AuditChainBroken(seq: seq)
            }
            return (seq, s.int64(2) != 0)
        }

        // The entries outside the chain, in the page's order, before the chain is walked (two
        // statements of one connection may step in turn, but this keeps each simple).
        let bound: Int64 = newestFirst ? Int64(clamping: min(cursor ?? end, end)) : cursor.map { Int64(clamping: $0) } ?? -1
        let (direction, order) = newestFirst ? ("<", "DESC") : (">", "ASC")
        var unchained = [UInt64]()
        for sql in ["""
            SELECT seq FROM audit_entries WHERE record = ? AND record_prev = -2 AND seq \(direction) ? AND seq < ?
            AND \(matches) ORDER BY seq \(order) LIMIT ?
            """, """
            SELECT e.seq FROM audit_earlier_by_record r JOIN audit_entries e ON e.seq = r.seq
            WHERE r.record = ? AND r.seq \(direction) ? AND r.seq < ? AND \(matches) ORDER BY r.seq \(order) LIMIT ?
            """] {
            let listing = try db.statement(sql)
            try bind([record, bound, Int64(clamping: end)] + args + [Int64(wanted)], to: listing)
            while try listing.step() { unchained.append(UInt64(clamping: listing.int64(0))) }
        }
        unchained.sort(by: newestFirst ? (>) : (<))

        var found = [UInt64]()
        found.reserveCapacity(min(wanted, 1024))
        if newestFirst {
            var u = unchained.makeIterator()
            var nextUnchained = u.next()
            var nextChained = try walkMatching(below: cursor, walk)
            while found.count < wanted, nextUnchained != nil || nextChained != nil {
                if let c = nextChained, nextUnchained.map({ c > $0 }) ?? true {
                    found.append(c)
                    nextChained = try walkMatching(below: cursor, walk)
                } else {
                    found.append(nextUnchained!)
                    nextUnchained = u.next()
                }
            }
        } else {
            // Oldest first: the chain after the cursor, reversed.
            var chained = [UInt64]()
            while let step = try walk() {
                if let cursor, step.seq <= cursor { break }
                if step.matches { chained.append(step.seq) }
            }
            var c = chained.reversed().makeIterator(), u = unchained.makeIterator()
            var nextChained = c.next(), nextUnchained = u.next()
            while found.count < wanted, nextUnchained != nil || nextChained != nil {
                if let x = nextChained, nextUnchained.map({ x < $0 }) ?? true {
                    found.append(x)
                    nextChained = c.next()
                } else {
                    found.append(nextUnchained!)
                    nextUnchained = u.next()
                }
            }
        }

        var rows = [(seq: UInt64, entry: [UInt8])]()
        rows.reserveCapacity(min(limit, found.count))
        for seq in found.prefix(limit) {
            guard let entry = try entry(seq: seq, on: db) else { throw AuditChainBroken(seq: seq) }
            rows.append((seq, entry))
        }
        return (rows, rows.count == limit ? Int64(found.count - limit) : 0)
    }

    /// The next chained entry that matches and lies before `cursor` (when there is one).
    private static func walkMatching(below cursor: UInt64?, _ walk: () throws -> (seq: UInt64, matches: Bool)?) throws -> UInt64? {
        while let step = try walk() {
            if let cursor, step.seq >= cursor { continue }
            if step.matches { return step.seq }
        }
        return nil
    }
}
