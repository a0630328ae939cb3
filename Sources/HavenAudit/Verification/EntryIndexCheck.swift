import Glibc
import HavenCore

/// The columns the audit table copies from each entry, so that `haven audit log` filters and
/// `haven audit summary` counts without reading entries: `time`, `action`, `user` (the
/// actor's), `record`, `decision` and `break_glass` (1 when the entry has a reason).
public struct AuditIndexColumns: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let time = AuditIndexColumns(rawValue: 1 << 0)
    public static let action = AuditIndexColumns(rawValue: 1 << 1)
    public static let user = AuditIndexColumns(rawValue: 1 << 2)
    public static let record = AuditIndexColumns(rawValue: 1 << 3)
    public static let decision = AuditIndexColumns(rawValue: 1 << 4)
    public static let breakGlass = AuditIndexColumns(rawValue: 1 << 5)

    /// The columns' names in the table, in table order.
    public var names: [String] {
        [(Self.time, "time"), (.action, "action"), (.user, "user"), (.record, "record"), (.decision, "decision"),
         (.breakGlass, "break_glass")].filter { contains($0.0) }.map(\.1)
    }
}

/// One stored row's copies as SQLite holds them, read in place (the start-up check reads
/// every row of a large log).
public struct StoredIndexColumns {
    public let time: Int64
    public let action: UnsafeRawBufferPointer
    public let user: UnsafeRawBufferPointer?
    public let record: UnsafeRawBufferPointer?
    public let decision: UnsafeRawBufferPointer
    public let breakGlass: Int64
    /// Columns whose SQLite type is not the one the writer stores: a filter compares a blob
    /// with its text argument as unequal even when the bytes are the same, so a copy retyped
    /// hides its entry as surely as one rewritten.
    public let mistyped: AuditIndexColumns

    public init(time: Int64, action: UnsafeRawBufferPointer, user: UnsafeRawBufferPointer?, record: UnsafeRawBufferPointer?,
                decision: UnsafeRawBufferPointer, breakGlass: Int64, mistyped: AuditIndexColumns) {
        self.time = time
        self.action = action
        self.user = user
        self.record = record
        self.decision = decision
        self.breakGlass = breakGlass
        self.mistyped = mistyped
    }
}

/// Compares a row's copied columns with its entry's canonical bytes (FORMAT.md, "audit
/// entry"): the copies are only an index, the entry is what the tag and the tree cover.
///
/// Why: someone who can write the database but holds no root key cannot change an entry
/// unseen, but a copy is read by every filter. Setting `break_glass` to 0, `decision` to
/// allow or `user` to another name hides a break-glass read or a refusal from `audit log`
/// and moves it onto someone else in `audit summary` while the log itself verifies. The
/// check walks the canonical bytes once, without a JSON parse (a million entries at start).
public enum EntryIndexCheck {
    /// The columns that differ from what the entry says; nil when the bytes are not an
    /// entry of the canonical form (the log check names that already).
    public static func mismatches(entry: UnsafeRawBufferPointer, stored: StoredIndexColumns) -> AuditIndexColumns? {
        guard let spans = EntrySpans(entry) else { return nil }
        var differ = stored.mistyped
        if !timeMatches(entry, spans.time, stored.time) { differ.insert(.time) }
        if !string(entry, spans.action, equals: stored.action) { differ.insert(.action) }
        if !string(entry, spans.user, equals: stored.user) { differ.insert(.user) }
        if !string(entry, spans.record, equals: stored.record) { differ.insert(.record) }
        if !string(entry, spans.decision, equals: stored.decision) { differ.insert(.decision) }
        let breakGlass: Int64 = isNull(entry, spans.breakGlass) ? 0 : 1
        if breakGlass != stored.breakGlass { differ.insert(.breakGlass) }
        return differ
    }

    /// `"YYYY-MM-DDTHH:MM:SS.mmmZ"` as the milliseconds the column holds, read in place (no
    /// String per entry): the digits at their fixed places, the days by H. Hinnant's
    /// days-from-civil. The entry is canonical, so no other spelling of the time can occur.
    private static func timeMatches(_ b: UnsafeRawBufferPointer, _ span: Range<Int>, _ ms: Int64) -> Bool {
        guard span.count == 26 else { return false }
        let s = span.lowerBound + 1
        var ok = true
        func number(_ at: Int, _ digits: Int) -> Int64 {
            var v: Int64 = 0
            for k in 0..<digits {
                let c = b[s + at + k]
                if c < 0x30 || c > 0x39 { ok = false }
                v = v * 10 + Int64(c &- 0x30)
            }
            return v
        }
        let (year, month, day) = (number(0, 4), number(5, 2), number(8, 2))
        let clock = number(11, 2) * 3_600_000 + number(14, 2) * 60_000 + number(17, 2) * 1000 + number(20, 3)
        guard ok, (1...12).contains(month) else { return false }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        return days * 86_400_000 + clock == ms
    }

    private static func isNull(_ b: UnsafeRawBufferPointer, _ span: Range<Int>) -> Bool {
        span.count == 4 && b[span.lowerBound] == UInt8(ascii: "n")
    }

    /// Whether a JSON string value (or null) says what the column holds (or NULL). The
    /// entry is canonical, so a value with no escape is the column's bytes exactly, and one
    /// with an escape is the column's bytes as `JSONWriter` escapes them.
    private static func string(_ b: UnsafeRawBufferPointer, _ span: Range<Int>?, equals column: UnsafeRawBufferPointer?) -> Bool {
        guard let span, !isNull(b, span) else { return column == nil }
        guard let column, span.count >= 2, b[span.lowerBound] == quote else { return false }
        let inner = UnsafeRawBufferPointer(rebasing: b[(span.lowerBound + 1)..<(span.upperBound - 1)])
        if !inner.contains(backslash) { return inner.elementsEqual(column) }
        var w = JSONWriter(capacity: column.count + 16)
        w.string(utf8: column)
        return w.bytes.elementsEqual(UnsafeRawBufferPointer(rebasing: b[span]))
    }

    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
}

/// Where the indexed members' values lie in an entry's canonical bytes (their JSON text,
/// quotes included). `user` is nil when `actor` is null.
struct EntrySpans {
    var time = 0..<0
    var action = 0..<0
    var user: Range<Int>?
    var record = 0..<0
    var decision = 0..<0
    var breakGlass = 0..<0

    init?(_ b: UnsafeRawBufferPointer) {
        var found = 0
        // `break_glass` comes after every other member read here: the rest (the outcome and
        // the detail, often the longest) is not walked.
        let ok = JSONMembers.walk(b, from: 0) { key, value in
            switch key.count {
            case 4 where JSONMembers.equal(b, key, "time"): time = value; found |= 1
            case 6 where JSONMembers.equal(b, key, "action"): action = value; found |= 2
            case 6 where JSONMembers.equal(b, key, "record"): record = value; found |= 4
            case 8 where JSONMembers.equal(b, key, "decision"): decision = value; found |= 8
            case 11 where JSONMembers.equal(b, key, "break_glass"):
                breakGlass = value
                found |= 16
                return .stop
            case 5 where JSONMembers.equal(b, key, "actor"):
                found |= 32
                guard b[value.lowerBound] == UInt8(ascii: "{") else { return value.count == 4 ? .next : .fail }
                return JSONMembers.walk(b, from: value.lowerBound) { k, v in
                    guard k.count == 4, JSONMembers.equal(b, k, "user") else { return .next }
                    user = v
                    return .stop
                } != nil ? .next : .fail
            default: break
            }
            return .next
        }
        guard ok != nil, found == 63 else { return nil }
    }
}

/// The members of a JSON object in canonical form (no white space), as the ranges of each
/// key (without quotes) and value.
enum JSONMembers {
    /// What to do after a member.
    enum Step { case next, stop, fail }

    /// Calls `body` for each member of the object at `start`; the index past the object (or
    /// past the member at which `body` stopped), or nil when it is not one or `body` failed.
    static func walk(_ b: UnsafeRawBufferPointer, from start: Int,
                     _ body: (_ key: Range<Int>, _ value: Range<Int>) -> Step) -> Int? {
        guard start < b.count, b[start] == UInt8(ascii: "{") else { return nil }
        var i = start + 1
        if i < b.count, b[i] == UInt8(ascii: "}") { return i + 1 }
        while i < b.count {
            guard b[i] == EntryIndexCheck.quote, let keyEnd = skipString(b, i), keyEnd < b.count,
                  b[keyEnd] == UInt8(ascii: ":"), let valueEnd = skipValue(b, keyEnd + 1), valueEnd < b.count else { return nil }
            switch body((i + 1)..<(keyEnd - 1), (keyEnd + 1)..<valueEnd) {
            case .next: break
            case .stop: return valueEnd
            case .fail: return nil
            }
            switch b[valueEnd] {
            case UInt8(ascii: ","): i = valueEnd + 1
            case UInt8(ascii: "}"): return valueEnd + 1
            default: return nil
            }
        }
        return nil
    }

    static func equal(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<range.count where b[range.lowerBound + k] != p[k] { return false }
        return true
    }

    /// The index past the string whose opening quote is at `i`. Quotes are found by `memchr`
    /// (most of an entry's bytes are in strings, and most strings have no escape): a quote
    /// ends the string unless an odd run of backslashes precedes it.
    static func skipString(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var j = i + 1
        while j < b.count {
            guard let found = memchr(base + j, Int32(EntryIndexCheck.quote), b.count - j) else { return nil }
            let k = base.distance(to: UnsafeRawPointer(found))
            var escapes = 0
            while k - escapes - 1 > i, b[k - escapes - 1] == EntryIndexCheck.backslash { escapes += 1 }
            if escapes % 2 == 0 { return k + 1 }
            j = k + 1
        }
        return nil
    }

    /// The index past the value that starts at `i`.
    static func skipValue(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        guard i < b.count else { return nil }
        switch b[i] {
        case EntryIndexCheck.quote:
            return skipString(b, i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var j = i
            while j < b.count {
                switch b[j] {
                case EntryIndexCheck.quote:
                    guard let end = skipString(b, j) else { return nil }
                    j = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            return nil
        default:
            var j = i
            while j < b.count, b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: "}"), b[j] != UInt8(ascii: "]") { j += 1 }
            return j > i ? j : nil
        }
    }
}
