import HavenCore
import HavenCrypto
import HavenStore
@testable import HavenVault
import Testing

/// The ledger of each record's latest audited state, against a table of what a reader and
/// the writer may see around a commit (`StateLedger`'s invariant), and the cadence rule.
@Suite struct StateLedgerTests {
    let id = RecordID(bytes: Array(0..<16))
    let v1 = Tag16(Array(repeating: 1, count: 16))!
    let v2 = Tag16(Array(repeating: 2, count: 16))!
    let v3 = Tag16(Array(repeating: 3, count: 16))!

    func ledger() -> StateLedger { StateLedger(records: [StateLedger.Key(id): .init(tag: v1)], logSize: 0) }

    @Test func theLatestStateIsFreshAndAnOlderOneIsNot() {
        let l = ledger()
        let g = l.generation
        #expect(l.check(id, stored: v1, in: .reader(since: g)) == .fresh)
        guard case .mismatch(let why) = l.check(id, stored: v3, in: .reader(since: g)) else {
            Issue.record("an unknown state passed")
            return
        }
        #expect(why.contains("restored from an older copy"))
    }

    @Test func aDeletedRowAndAnInsertedRowAreNamed() {
        let l = ledger()
        let other = RecordID(bytes: Array(16..<32))
        guard case .mismatch(let deleted) = l.check(id, stored: nil, in: .writer),
              case .mismatch(let inserted) = l.check(other, stored: v1, in: .writer) else {
            Issue.record("a deleted or inserted row passed")
            return
        }
        #expect(deleted.contains("missing from the store") && inserted.contains("inserted outside Haven"))
        #expect(l.check(other, stored: nil, in: .writer) == .notFound)
    }

    /// (what the row is, where it is read) → finding, around one commit of v2 over v1.
    @Test func aCommitInFlightIsNeverMistakenForAForgery() {
        let l = ledger()
        let before = l.generation
        l.stage(entry: 0, chained: nil, state: (id, v2))
        // While the writer's transaction is open: a reader sees v1; the writer sees v2 only.
        #expect(l.check(id, stored: v1, in: .reader(since: before)) == .fresh)
        #expect(l.check(id, stored: v2, in: .reader(since: before)) == .fresh)
        #expect(l.check(id, stored: v2, in: .writer) == .fresh)
        #expect(l.check(id, stored: v1, in: .writer) != .fresh)
        l.publish(logSize: 0)
        // After: v2 is the state; a snapshot begun before the commit may still hold v1 (it was
        // the latest then), one begun after may not.
        #expect(l.check(id, stored: v2, in: .reader(since: l.generation)) == .fresh)
        #expect(l.check(id, stored: v1, in: .reader(since: before)) == .fresh)
        #expect(l.check(id, stored: v1, in: .reader(since: l.generation)) != .fresh)
        // Changed twice while one reader read: the reader's v1 is no longer vouched for, so it reads again.
        l.stage(entry: 0, chained: nil, state: (id, v3))
        l.publish(logSize: 0)
        #expect(l.check(id, stored: v1, in: .reader(since: before)) == .raced)
        #expect(l.check(id, stored: v2, in: .reader(since: before)) == .fresh)
    }

    /// The batch a statistics query checks under one lock finds, row by row, what the check
    /// of one row finds: at every step around two commits, for the latest, staged, replaced,
    /// unknown and never-audited states, from readers begun before and after.
    @Test func aBatchFindsWhatEachRowFinds() {
        let l = ledger()
        let other = RecordID(bytes: Array(16..<32))
        let start = l.generation
        func compare() {
            let rows: [(RecordID, Tag16)] = [(id, v1), (id, v2), (id, v3), (other, v1), (other, v2)]
            for view in [StateLedger.View.writer, .reader(since: start), .reader(since: l.generation)] {
                let batch = l.check(rows.map { StateLedger.Key($0.0) }, stored: rows.map(\.1), in: view) { rows[$0].0.rawValue }
                #expect(batch == rows.map { l.check($0.0, stored: $0.1, in: view) }, "\(view)")
            }
        }
        compare()
        l.stage(entry: 0, chained: nil, state: (id, v2))
        compare()
        l.publish(logSize: 0)
        compare()
        l.stage(entry: 0, chained: nil, state: (id, v3))
        l.stage(entry: 0, chained: nil, state: (other, v2))
        compare()
        l.publish(logSize: 0)
        compare()
    }

    @Test func aRolledBackTransactionLeavesNothing() {
        let l = ledger()
        l.stage(entry: 0, chained: nil, state: (id, v2))
        l.discard()
        #expect(l.check(id, stored: v2, in: .writer) != .fresh)
        #expect(l.check(id, stored: v1, in: .writer) == .fresh)
        #expect(l.generation == 0)
    }

    @Test func aNewRecordIsNotFoundUntilItsCommitThenFresh() {
        let l = ledger()
        let new = RecordID(bytes: Array(32..<48))
        let before = l.generation
        l.stage(entry: 0, chained: nil, state: (new, v3))
        #expect(l.check(new, stored: nil, in: .reader(since: before)) == .notFound)
        l.publish(logSize: 0)
        #expect(l.check(new, stored: v3, in: .reader(since: l.generation)) == .fresh)
    }

    /// A replaced state is remembered for `memory` generations, then forgotten: an old row
    /// never becomes acceptable for good.
    @Test func aReplacedStateIsForgottenAfterItsWindow() {
        let l = ledger()
        let before = l.generation
        l.stage(entry: 0, chained: nil, state: (id, v2))
        l.publish(logSize: 0)
        let other = RecordID(bytes: Array(16..<32))
        for _ in 0..<StateLedger.memory {
            l.stage(entry: 0, chained: nil, state: (other, v3))
            l.publish(logSize: 0)
        }
        #expect(l.check(id, stored: v1, in: .reader(since: before)) == .raced)
        #expect(l.check(id, stored: v1, in: .reader(since: l.generation)) != .fresh)
    }

    @Test func recordKeysComeFromCanonicalIdsOnly() {
        let other = RecordID(bytes: Array(1...16))
        #expect(StateLedger.Key(id) != StateLedger.Key(other))
        #expect(StateLedger.Key(id) == StateLedger.Key(RecordID(bytes: Array(0..<16))))
        for bad in ["b", "A", "1"] {
            var text = Array(id.rawValue.utf8)
            text[25] = Array(bad.utf8)[0]  // padding bits set, upper case, outside the alphabet
            #expect(text.withUnsafeBytes { StateLedger.Key(base32: $0) } == nil, "\(bad)")
        }
        #expect(Array(id.rawValue.utf8.dropLast()).withUnsafeBytes { StateLedger.Key(base32: $0) } == nil)
    }

    @Test func checkpointsFurtherApartThanTheWriterLeavesThemAreFound() {
        var c = WriteQueue.Configuration()
        c.checkpointEveryEntries = 10
        c.maximumBatch = 5
        let cadence = CheckpointCadence(c)
        #expect(cadence.problems(size: 30, signedSizes: [2, 15, 30]).isEmpty)
        #expect(cadence.problems(size: 40, signedSizes: [2, 15, 30]).isEmpty, "a crash leaves up to 15 unsigned")
        #expect(cadence.problems(size: 46, signedSizes: [2, 15, 30]).first?.contains("covered by no signed checkpoint") == true)
        #expect(cadence.problems(size: 40, signedSizes: [2, 40]).first?.contains("checkpoints were deleted") == true)
    }

    /// Where each entry about a record links (`StateLedger.link`): only records the ledger
    /// holds are chained, so entries about other ids never grow it; a record's own first
    /// state starts its chain; the open transaction's links are seen by the writer only,
    /// published with the commit, and forgotten with a rollback.
    @Test func entriesChainOnlyForRecordsTheLedgerHolds() {
        let l = ledger()
        let key = StateLedger.Key(id)
        let other = RecordID(bytes: Array(16..<32))
        func outside(_ link: (key: StateLedger.Key?, link: AuditRecordLink)?) -> Bool { link?.key == nil && link?.link == .unchained }
        #expect(l.link(for: id.rawValue, writing: nil)?.link == .first && l.link(for: id.rawValue, writing: nil)?.key == key)
        #expect(outside(l.link(for: other.rawValue, writing: nil)), "a probe of an id no record has")
        #expect(outside(l.link(for: "not an id", writing: nil)) && l.link(for: nil, writing: nil) == nil)
        #expect(outside(l.link(for: other.rawValue, writing: .record(id))), "another record's state")
        #expect(l.link(for: other.rawValue, writing: .record(other))?.link == .first, "its create")

        l.stage(entry: 5, chained: key, state: nil)
        #expect(l.link(for: id.rawValue, writing: nil)?.link == .after(5))
        #expect(l.chain(of: id.rawValue).latest == nil, "not before the commit")
        l.publish(logSize: 6)
        #expect(l.chain(of: id.rawValue).latest == 5 && l.chain(of: id.rawValue).logSize == 6)

        // A create in the next transaction, then a rollback of it and of a read.
        l.stage(entry: 6, chained: StateLedger.Key(other), state: (other, v2))
        #expect(l.link(for: other.rawValue, writing: nil)?.link == .after(6))
        l.stage(entry: 7, chained: key, state: nil)
        l.discard()
        #expect(outside(l.link(for: other.rawValue, writing: nil)))
        #expect(l.link(for: id.rawValue, writing: nil)?.link == .after(5))
        l.publish(logSize: 8)
        #expect(l.chain(of: id.rawValue).latest == 5 && l.chain(of: other.rawValue).latest == nil)
        #expect(l.chain(of: "not an id").latest == nil && l.chain(of: "not an id").logSize == 8)

        // Committed together: the created record's state first, then its first chained entry.
        l.stage(entry: 8, chained: StateLedger.Key(other), state: (other, v2))
        l.publish(logSize: 9)
        #expect(l.chain(of: other.rawValue).latest == 8)
        #expect(l.check(other, stored: v2, in: .writer) == .fresh)
    }

}
