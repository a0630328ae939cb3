import Foundation
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
@testable import HavenVault
import Logging
import Testing

/// The rebuild of derived rows at start: only the kinds whose fingerprint is stale are
/// emptied and made again, all in one walk of the records not erased; a record that does not
/// open is left out of, and named by, only the kinds that could not open it.
@Suite struct DerivedRowsRebuildTests {
    /// What the rebuild asked of one kind.
    final class Seen {
        var removed = 0
        var derived = [String]()
        var marked = 0
    }

    /// A kind of row that keeps nothing: it says what it was asked, and refuses some records.
    struct Probe: DerivedRows {
        let name: String
        let state: DerivedRowsStaleness
        var refuses: Set<String> = []
        let seen = Seen()

        var unopened: Logger.Message { "probe: record does not open" }
        func staleness(on db: Connection) -> DerivedRowsStaleness { state }
        func removeAll(on db: Connection) { seen.removed += 1 }
        func markCurrent(on db: Connection) { seen.marked += 1 }

        func derive(_ record: DerivationSource, on db: Connection) throws {
            if refuses.contains(record.row.id.rawValue) { throw HavenError.integrity }
            seen.derived.append(record.row.id.rawValue)
        }

        func rebuilt(_ outcome: DerivedRowsOutcome, logger: Logger) -> AuditEvent {
            AuditEvent(action: name, decision: .allow, rule: "\(outcome.staleness)",
                       detail: ["records": String(outcome.records), "skipped": outcome.skipped.joined(separator: ",")])
        }
    }

    /// A fresh vault database holding `good` records that open, one erased, and unless told
    /// otherwise one whose data key does not unwrap (wrapped for another record); the ids of
    /// those that open in id order, and of the one that does not.
    static func vault(good: Int, unopened: Bool = true,
                      _ body: (DerivedRowsRebuild, _ good: [String], _ unopened: String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "haven-derived-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try Database.open(path: dir + "/haven.db", create: true)
        try Database.migrate(db)
        let keys = VaultKeys(vaultID: VaultID(bytes: Random.bytes(16)), rootKey: RootKey.generate(), signingKey: SigningKey.generate())
        func insert(_ id: RecordID, status: String = "open", wrappedFor: RecordID? = nil) throws {
            let wrapped = keys.dataKeys.wrap(SecureBytes.random(count: DataKey.byteCount), record: wrappedFor ?? id, dataKeyVersion: 1)
            let now = Timestamp(millisecondsSinceEpoch: 1)
            try RecordTable.insert(StoredRecord(id: id, type: "intake", agency: "ossc-vientiane", status: status, version: 1, createdAt: now,
                                                updatedAt: now, dataKeyVersion: 1, wrappedKey: wrapped, sealedHeader: [1, 2, 3]), on: db)
        }
        var ids = [String]()
        for _ in 0..<good {
            let id = RecordID(bytes: Random.bytes(16))
            try insert(id)
            ids.append(id.rawValue)
        }
        let damaged = RecordID(bytes: Random.bytes(16))
        if unopened { try insert(damaged, wrappedFor: RecordID(bytes: Random.bytes(16))) }
        try insert(RecordID(bytes: Random.bytes(16)), status: RecordTombstone.status)
        try body(DerivedRowsRebuild(db: db, keys: keys, logger: Logger(label: "test")), ids.sorted(), damaged.rawValue)
    }

    @Test func nothingIsTouchedWhenEveryKindIsCurrent() throws {
        try Self.vault(good: 2) { rebuild, _, _ in
            let kinds = [Probe(name: "a", state: .current), Probe(name: "b", state: .current)]
            let events = try rebuild.run(kinds)
            #expect(events == [nil, nil])
            #expect(kinds.allSatisfy { $0.seen.removed == 0 && $0.seen.derived.isEmpty && $0.seen.marked == 0 })
        }
    }

    @Test func onlyStaleKindsAreRebuiltAndEachNamesTheRecordsItCouldNotOpen() throws {
        try Self.vault(good: 3) { rebuild, good, unopened in
            let built = Probe(name: "built", state: .neverBuilt)
            let current = Probe(name: "current", state: .current)
            let changed = Probe(name: "changed", state: .fieldsChanged, refuses: [good[1]])
            let events = try rebuild.run([built, current, changed])

            #expect(built.seen.removed == 1 && built.seen.marked == 1)
            #expect(built.seen.derived == good, "every record not erased, once, in id order")
            #expect(events[0] == AuditEvent(action: "built", decision: .allow, rule: "neverBuilt",
                                            detail: ["records": "3", "skipped": unopened]))

            #expect(current.seen.removed == 0 && current.seen.derived.isEmpty && current.seen.marked == 0)
            #expect(events[1] == nil)

            #expect(changed.seen.derived == [good[0], good[2]])
            #expect(events[2] == AuditEvent(action: "changed", decision: .allow, rule: "fieldsChanged",
                                            detail: ["records": "2", "skipped": [good[1], unopened].sorted().joined(separator: ",")]))
        }
    }

    /// A vault with no record to open (just made, or a policy changed before the first
    /// record) gets its fingerprint, and no audit entry.
    @Test func aVaultWithNoRecordIsMarkedCurrentWithoutAnEntry() throws {
        try Self.vault(good: 0, unopened: false) { rebuild, _, _ in
            let kind = Probe(name: "k", state: .neverBuilt)
            let events = try rebuild.run([kind])
            #expect(events == [nil])
            #expect(kind.seen.removed == 1 && kind.seen.marked == 1 && kind.seen.derived.isEmpty)
        }
    }

    /// A record that does not open is still accounted for: a vault whose only record is one
    /// gets an entry naming it.
    @Test func aVaultWhoseOnlyRecordDoesNotOpenGetsAnEntryNamingIt() throws {
        try Self.vault(good: 0) { rebuild, _, unopened in
            let events = try rebuild.run([Probe(name: "k", state: .neverBuilt)])
            #expect(events.first??.detail == ["records": "0", "skipped": unopened])
        }
    }
}
