import HavenCore
import HavenCrypto
import HavenStore
import Synchronization

/// The latest audited state of every record: for each record, the tag of the row its last
/// committed change wrote, as the (authenticated) audit log holds it. Built at start from
/// the log, kept up to date by the writer, and consulted on every access, so that a record
/// restored from an older copy, deleted, or inserted by someone without the root key is
/// refused without reading the log again.
///
/// Invariant: `committed` is the state of the last committed transaction; `pending` holds
/// the states the writer's open transaction has written so far; `superseded` remembers, for
/// a while, the state each recent commit replaced and the generation it was replaced at. A
/// reader notes the generation before its snapshot begins, so its snapshot holds every
/// commit published by then, and perhaps later ones: a row it reads is the latest, or
/// staged, or was the latest at that generation. Only a record changed twice while one
/// reader read it is `raced` (the reader reads again rather than mistake an older
/// legitimate row for a forgery); busy listings, which read many records while other
/// requests write, never are.
///
/// Beside each record's state it keeps the record's latest chained audit entry, where a
/// search of the log by record starts (`AuditRecordLink`): in the same table, so a million
/// records cost eight bytes more each rather than a second table. Only records the ledger
/// holds get chains, so entries about ids that are no record (a probe) cannot grow it.
public final class StateLedger: Sendable {
    /// A record id as two words: a million of them fit in a few tens of megabytes.
    struct Key: Hashable, Sendable {
        let high: UInt64
        let low: UInt64

        init(_ id: RecordID) {
            // A validated id is 26 canonical base32 characters, so this cannot fail.
            var text = id.rawValue
            self = text.withUTF8 { Key(base32: UnsafeRawBufferPointer($0)) }!
        }

        /// From an audit entry's `record` text: nil when it is not a record id's canonical form.
        init?(text: String) {
            var text = text
            guard let key = text.withUTF8({ Key(base32: UnsafeRawBufferPointer($0)) }) else { return nil }
            self = key
        }

        /// From the 26 characters of a record id's canonical lower-case base32, without a
        /// String: the start-up check reads a million of these. Nil for anything else.
        init?(base32 text: UnsafeRawBufferPointer) {
            guard text.count == 26 else { return nil }
            var h: UInt64 = 0, l: UInt64 = 0
            for (i, c) in text.enumerated() {
                let v: UInt64
                switch c {
                case 0x61...0x7A: v = UInt64(c - 0x61)
                case 0x32...0x37: v = UInt64(c - 0x32 + 26)
                default: return nil
                }
                // 130 bits into 128: the last character's two low bits are padding, zero.
                if i == 25 {
                    guard v & 0b11 == 0 else { return nil }
                    h = h << 3 | l >> 61
                    l = l << 3 | v >> 2
                } else {
                    h = h << 5 | l >> 59
                    l = l << 5 | v
                }
            }
            high = h
            low = l
        }
    }

    /// What the log says of one record: its latest state and its latest chained entry.
    struct Latest: Sendable {
        var tag: Tag16
        /// `none` until the record's first chained entry.
        var lastEntry: UInt64 = Latest.none
        static let none = UInt64.max

        init(tag: Tag16, lastEntry: UInt64 = Latest.none) {
            self.tag = tag
            self.lastEntry = lastEntry
        }
    }

    private struct State {
        var committed: [Key: Latest]
        var pending: [Key: Tag16] = [:]
        /// Chained entries the writer's open transaction has appended, by record.
        var pendingEntries: [Key: UInt64] = [:]
        /// The size of the log as of the last published commit.
        var logSize: UInt64
        var generation: UInt64 = 0
        /// What recent commits replaced (nil: the record did not exist), by record.
        var superseded: [Key: (tag: Tag16?, at: UInt64)] = [:]
        /// The order they were replaced in, to forget them after `memory` generations.
        var supersededOrder: [(at: UInt64, key: Key)] = []
        var forgotten = 0
    }

    /// How many generations a replaced state is remembered for readers still reading it.
    static let memory: UInt64 = 4096

    private let state: Mutex<State>

    init(records: consuming [Key: Latest], logSize: UInt64) {
        state = Mutex(State(committed: records, logSize: logSize))
    }

    /// How many commits have been published; a reader notes it before its snapshot.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// What a check of one record's row found.
    enum Finding: Equatable {
        /// The row is the latest audited state.
        case fresh
        /// There is no row and none was ever audited.
        case notFound
        /// A commit landed while the reader read: read again.
        case raced
        /// The row is not what the log says (the reason names what was found).
        case mismatch(String)
    }

    /// Where a record is being read from.
    enum View {
        /// A reader's snapshot, begun when the ledger's generation was this.
        case reader(since: UInt64)
        /// The writer's open transaction: it sees its own latest writes.
        case writer
    }

    /// Checks the row of `id` as read (its tag, or nil when there is no row).
    func check(_ id: RecordID, stored: Tag16?, in view: View) -> Finding {
        check(Key(id), id.rawValue, stored: stored, in: view)
    }

    /// The same, for a record known by its key (`name` only for a finding's words): a
    /// statistics query checks a million rows without making a `RecordID` of each.
    func check(_ key: Key, _ name: @autoclosure () -> String, stored: Tag16?, in view: View) -> Finding {
        let (known, generation) = state.withLock { (Self.known(key, in: $0), $0.generation) }
        return Self.finding(known, generation: generation, name(), stored: stored, in: view)
    }

    /// The same for many rows at once, under one lock: a statistics query's threads check a
    /// million rows, and taken row by row the lock passed between eight threads on two
    /// cores a million times (a query took 33 s instead of 1). `name(i)` names row `i`.
    func check(_ keys: [Key], stored: [Tag16], in view: View, name: (Int) -> String) -> [Finding] {
        let (known, generation) = state.withLock { s in (keys.map { Self.known($0, in: s) }, s.generation) }
        return keys.indices.map { Self.finding(known[$0], generation: generation, name($0), stored: stored[$0], in: view) }
    }

    /// What the ledger holds for one record, read under the lock.
    private struct Known {
        var committed: Tag16?
        var pending: Tag16?
        var replaced: (tag: Tag16?, at: UInt64)?
    }

    private static func known(_ key: Key, in s: borrowing State) -> Known {
        Known(committed: s.committed[key]?.tag, pending: s.pending[key], replaced: s.superseded[key])
    }

    private static func finding(_ known: Known, generation: UInt64, _ name: @autoclosure () -> String, stored: Tag16?,
                                in view: View) -> Finding {
        let (committed, pending, replaced) = (known.committed, known.pending, known.replaced)
        var acceptable: [Tag16?]
        switch view {
        case .writer:
            acceptable = [pending ?? committed]
        case .reader(let since):
            acceptable = pending.map { [committed, $0] } ?? [committed]
            // Still the latest when this reader's snapshot began.
            if let replaced, replaced.at > since { acceptable.append(replaced.tag) }
        }
        if acceptable.contains(stored) { return stored == nil ? .notFound : .fresh }
        if case .reader(let since) = view, since != generation { return .raced }
        if stored == nil {
            return .mismatch("record \(name()) is missing from the store, though the audit log records it (deleted outside Haven)")
        }
        if committed == nil && pending == nil {
            return .mismatch("record \(name()) is in the store, but no audited change wrote it (inserted outside Haven)")
        }
        return .mismatch("record \(name()) does not match its latest audited state (restored from an older copy, or edited outside Haven)")
    }

    /// Where the writer's next entry about `record` links: after the record's latest chained
    /// entry, first when it has none yet, and outside every chain when the ledger holds no
    /// such record, unless the entry itself writes the record's first state (a create). The
    /// key is the chain's (nil outside); nil for an entry about no record.
    func link(for record: String?, writing written: StateKey?) -> (key: Key?, link: AuditRecordLink)? {
        guard let record else { return nil }
        guard let key = Key(text: record) else { return (nil, .unchained) }
        let own: Bool
        if case .record(let id)? = written { own = Key(id) == key } else { own = false }
        return state.withLock { s in
            if let previous = s.pendingEntries[key] { return (key, .after(previous)) }
            if let latest = s.committed[key] { return (key, latest.lastEntry == Latest.none ? .first : .after(latest.lastEntry)) }
            return s.pending[key] != nil || own ? (key, .first) : (nil, .unchained)
        }
    }

    /// The writer has appended entry `seq` in its open transaction: in the chain of `chained`
    /// (from `link`), and writing `state` for its record, when it does.
    func stage(entry seq: UInt64, chained: Key?, state written: (RecordID, Tag16)?) {
        guard chained != nil || written != nil else { return }
        state.withLock { s in
            if let (id, tag) = written { s.pending[Key(id)] = tag }
            if let chained { s.pendingEntries[chained] = seq }
        }
    }

    /// Where a search of the log for `record` starts, and the log it may read (see
    /// `AuditRecordChain`); read before the search's snapshot begins.
    func chain(of record: String) -> AuditRecordChain {
        let key = Key(text: record)
        return state.withLock { s in
            let last = key.flatMap { s.committed[$0]?.lastEntry }
            return AuditRecordChain(latest: last == Latest.none ? nil : last, logSize: s.logSize)
        }
    }

    /// The writer's transaction committed, and the log has `logSize` entries: its states and
    /// chained entries are now the latest.
    func publish(logSize: UInt64) {
        state.withLock { s in
            s.logSize = logSize
            if !s.pending.isEmpty {
                s.generation &+= 1
                for (k, t) in s.pending {
                    s.superseded[k] = (s.committed[k]?.tag, s.generation)
                    s.supersededOrder.append((s.generation, k))
                    s.committed[k, default: Latest(tag: t)].tag = t
                }
                s.pending.removeAll(keepingCapacity: true)
                // Forget what no reader can still be reading (a read takes milliseconds; this
                // is thousands of commits).
                while s.forgotten < s.supersededOrder.count, s.supersededOrder[s.forgotten].at + Self.memory <= s.generation {
                    let old = s.supersededOrder[s.forgotten]
                    if s.superseded[old.key]?.at == old.at { s.superseded[old.key] = nil }
                    s.forgotten += 1
                }
                if s.forgotten > 4096 && s.forgotten * 2 > s.supersededOrder.count {
                    s.supersededOrder.removeFirst(s.forgotten)
                    s.forgotten = 0
                }
            }
            // After the states: a record's first chained entry may be the one that created it.
            for (k, seq) in s.pendingEntries {
                assert(s.committed[k] != nil, "a chained entry about a record the ledger does not hold")
                s.committed[k]?.lastEntry = seq
            }
            s.pendingEntries.removeAll(keepingCapacity: true)
        }
    }

    /// The writer's transaction was rolled back: nothing it staged happened.
    func discard() {
        state.withLock { s in
            s.pending.removeAll(keepingCapacity: true)
            s.pendingEntries.removeAll(keepingCapacity: true)
        }
    }
}
