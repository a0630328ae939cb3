import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// The whole stored audit log, read once: every entry re-hashed from its bytes and checked
/// against every stored checkpoint (`LogVerifier`), every entry's tag checked under the
/// vault's audit key when one is given, the stored tiles compared with the recomputed ones,
/// the columns copied from each entry for the filters compared with the entry
/// (`EntryIndexCheck`), and the state each entry commits to collected in order. `haven audit verify` and the
/// daemon's start both run it. Runs of 4,096 entries are read and hashed on all cores at
/// once, each on a thread (`ParallelParts`) and by a read connection of its own; the checks
/// then run in order.
public struct StoredLogScan {
    public var report: VerificationReport
    /// The recomputed tree, from which the log is extended.
    public var tree: MerkleFrontier
    /// The leaf hash and bytes of the last entry.
    public var lastLeafHash: [UInt8]?
    public var lastEntry: [UInt8]?
    /// The checkpoints whose signatures verified, by size.
    public var checkpoints: [SignedCheckpoint] = []
    /// The recomputed root at each size asked for.
    public var rootsAt: [UInt64: [UInt8]] = [:]
    /// Entries whose stored tag is missing or wrong, and stored tiles that differ.
    public var untagged: [UInt64] = []
    public var badTiles: [UInt64] = []
    /// Entries whose copied columns (`audit log` filters, `audit summary`) differ from the
    /// entry, and which; read only with the tags (the copies date from the first schema).
    public var misindexed: [(seq: UInt64, columns: AuditIndexColumns)] = []

    /// - Parameter entries: the audit key of the vault, to check each entry's tag; nil for a
    ///   log written before entries had tags (the check before the schema 3 upgrade).
    public static func run(databasePath: String, vaultKey: PublicKey, vault: VaultID, entries: EntryAuthenticator?) throws -> StoredLogScan {
        try run(databasePath: databasePath, vaultKey: vaultKey, vault: vault, entries: entries, rootsAt: [], states: nil)
    }

    /// A state an entry commits to (and whose tag verified), or an entry's link in its
    /// record's chain, handed over in log order (an entry's state before its link).
    enum ScannedState {
        /// A record's: the common case, read without a String (a million at start).
        case record(StateLedger.Key, Tag16)
        case other(seq: UInt64, key: String, tag: Tag16)
        /// Entry `seq` is chained (`record_prev` is neither NULL nor unchained): its record
        /// (nil when the `record` column is no record id, named by `text`) and its stored link
        /// (nil when the value is none a release writes).
        case link(seq: UInt64, record: StateLedger.Key?, text: String, link: AuditRecordLink?)
    }

    /// - Parameters:
    ///   - rootsAt: sizes whose recomputed root the caller wants (an anchor's).
    ///   - states: called with each verified state, in log order, on the calling thread.
    static func run(databasePath: String, vaultKey: PublicKey, vault: VaultID, entries: EntryAuthenticator?, rootsAt: [UInt64],
                    states: ((ScannedState) throws -> Void)?) throws -> StoredLogScan {
        let workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let window = workers * 2
        // Each connection reads its runs once, front to back: a page cache would only cost memory.
        let connections = try (0..<window).map { _ in
            UncheckedConnection(try Database.openReader(path: databasePath, cacheKiB: 256))
        }
        let first = connections[0].connection
        var malformed = [UInt64]()
        var checkpoints = [SignedCheckpoint]()
        for row in try AuditTable.checkpoints(on: first) {
            if let cp = try? SignedCheckpoint(json: row.note) { checkpoints.append(cp) } else { malformed.append(row.size) }
        }
        // Every row up to the highest sequence number; rows past it cannot be part of the log.
        let end = try AuditTable.count(on: first)
        let storedTiles = try AuditTable.subtrees(on: first)
        let align = UInt64(HashedChunk.defaultAlignment)
        let wantStates = states != nil
        var verifier = LogVerifier(vaultKey: vaultKey, vault: vault, checkpoints: checkpoints)
        verifier.recordRoots(at: rootsAt)
        var scan = StoredLogScan(report: VerificationReport(), tree: MerkleFrontier())
        var next: UInt64 = 0
        while next < end {
            let starts = (0..<window).map { next + UInt64($0) * align }.filter { $0 < end }
            let results = ParallelParts.run(starts.count, threadName: { "haven-log-\($0)" }) { (i) throws -> ScannedChunk in
                var part = ScannedChunk(chunk: HashedChunk(start: starts[i]))
                let range = starts[i]..<min(starts[i] + align, end)
                let connection = connections[i].connection
                guard let entries else {
                    // A log from before entries had tags (schema 2): the entries alone.
                    try AuditTable.forEachEntry(in: range, on: connection) { seq, entry, leaf in
                        part.chunk.add(entry: entry, storedLeafHash: leaf)
                        if seq == end - 1 { part.lastEntry = Array(entry) }
                    }
                    connection.resetStatements()
                    part.chunk.finish()
                    return part
                }
                try AuditTable.forEachAuthenticatedEntry(in: range, links: wantStates, index: true, on: connection) { row in
                    part.chunk.add(entry: row.entry, storedLeafHash: row.leafHash)
                    if let copies = row.index, let differ = EntryIndexCheck.mismatches(entry: row.entry, stored: Self.stored(copies)),
                       !differ.isEmpty {
                        part.misindexed.append((row.seq, differ))
                    }
                    if row.seq == end - 1 { part.lastEntry = Array(row.entry) }
                    let expected = entries.tag(seq: row.seq, leafHash: row.leafHash, stateKey: row.stateKey, state: row.state)
                    let tagged = row.mac.map { Tag16($0) == expected } ?? false
                    if !tagged { part.untagged.append(row.seq) }
                    guard wantStates else { return }
                    // Only a state whose entry's tag verifies counts.
                    if tagged, let key = row.stateKey, let state = row.state, let tag = Tag16(state) {
                        if key.starts(with: Self.recordPrefix),
                           let id = StateLedger.Key(base32: UnsafeRawBufferPointer(rebasing: key[7...])) {
                            part.states.append(.record(id, tag))
                        } else {
                            part.states.append(.other(seq: row.seq, key: String(decoding: key, as: UTF8.self), tag: tag))
                        }
                    }
                    // Every link, tagged or not (no tag covers it): one entry whose tag fails
                    // is not also reported as a break in its record's chain.
                    if let previous = row.recordPrevious, previous != AuditRecordLink.unchained.column {
                        let record = row.record ?? UnsafeRawBufferPointer(start: nil, count: 0)
                        let key = StateLedger.Key(base32: record)
                        part.states.append(.link(seq: row.seq, record: key, text: key == nil ? String(decoding: record, as: UTF8.self) : "",
                                                 link: AuditRecordLink(column: previous)))
                    }
                }
                connection.resetStatements()
                part.chunk.finish()
                return part
            }
            for r in results {
                let part = try r.get()
                verifier.add(part.chunk)
                scan.untagged += part.untagged
                scan.misindexed += part.misindexed
                if let states { for state in part.states { try states(state) } }
                if let last = part.lastEntry { scan.lastEntry = last }
                if part.chunk.start % UInt64(MerkleTiles.size) == 0 {
                    let firstTile = part.chunk.start / MerkleTiles.size
                    for (k, tile) in part.chunk.subtrees(height: MerkleTiles.height).enumerated() {
                        let index = firstTile + UInt64(k)
                        if index < UInt64(storedTiles.count), storedTiles[Int(index)] != tile.bytes { scan.badTiles.append(index) }
                    }
                }
            }
            next = starts.last! + align
        }
        if storedTiles.count > Int(end / MerkleTiles.size) { scan.badTiles.append(UInt64(storedTiles.count - 1)) }
        scan.tree = verifier.tree
        scan.lastLeafHash = verifier.lastLeafHash
        scan.rootsAt = verifier.rootsAt
        scan.checkpoints = verifier.acceptedCheckpoints
        var report = verifier.finish()
        for size in malformed { report.add("checkpoint at size \(size) is malformed", checkpoint: size) }
        for seq in scan.untagged.prefix(VerificationReport.maximumProblems) {
            report.add("seq \(seq): its tag does not verify under the vault's root key (written, altered, moved or "
                       + "re-chained without the root key)", seq: seq)
        }
        for index in scan.badTiles.prefix(3) {
            report.add("stored subtree \(index) (entries \(index * MerkleTiles.size)..\((index + 1) * MerkleTiles.size - 1)) "
                       + "differs from the entries' own hashes", seq: index * MerkleTiles.size)
        }
        for (seq, columns) in scan.misindexed.prefix(VerificationReport.maximumProblems) {
            let names = columns.names
            report.add("seq \(seq): table audit_entries, column\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")): not what "
                       + "the entry says (edited outside Haven; the filters of 'audit log' and the counts of 'audit summary' read "
                       + "\(names.count == 1 ? "it" : "them"))", seq: seq)
        }
        if scan.misindexed.count > VerificationReport.maximumProblems {
            report.add("\(scan.misindexed.count) entries in all have columns that are not what the entry says")
        }
        scan.report = report
        return scan
    }

    /// The stored copies as the check reads them.
    private static func stored(_ c: AuditTable.IndexCopies) -> StoredIndexColumns {
        StoredIndexColumns(time: c.time, action: c.action, user: c.user, record: c.record, decision: c.decision,
                           breakGlass: c.breakGlass, mistyped: AuditIndexColumns(rawValue: c.mistyped))
    }

    private static let recordPrefix = Array("record:".utf8)

    /// What one worker read and hashed.
    private struct ScannedChunk: @unchecked Sendable {
        var chunk: HashedChunk
        var untagged: [UInt64] = []
        var misindexed: [(seq: UInt64, columns: AuditIndexColumns)] = []
        var states: [ScannedState] = []
        var lastEntry: [UInt8]?
    }

    /// A connection used by one worker at a time.
    private struct UncheckedConnection: @unchecked Sendable {
        let connection: Connection
        init(_ c: Connection) { connection = c }
    }
}
