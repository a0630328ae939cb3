import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// What havend establishes before it serves: that the audit log is whole and was written
/// with the root key, that it extends the anchor, and that every row that grants access is
/// in the state the log last recorded. Nothing is appended until this has passed.
///
/// Findings about the log itself (an altered or cut entry, a missing checkpoint) refuse the
/// start unless the operator passes `--allow-damaged-audit-log`; then they are returned as
/// `logProblem` and recorded in the `daemon.start` entry. Findings about access (a user, the
/// vault's identity, the anchor) always refuse: there is no flag to serve a vault whose
/// users or history someone has rewritten.
struct StartupCheck {
    let databasePath: String
    let db: Connection
    let keys: VaultKeys
    let meta: VaultMeta
    let cadence: CheckpointCadence
    let anchor: AnchorFile?
    /// `--allow-damaged-audit-log`: serve a log that fails its check, and record why.
    let allowDamagedLog: Bool

    /// Where the log resumes, and the state it vouches for.
    struct Verified {
        let chain: AuditChain
        let latestCheckpoint: SignedCheckpoint?
        let ledger: StateLedger
        let users: [EnrolledUser]
        let logProblem: String?
        /// The anchor file did not exist yet (`--create-anchor`); it is written before serving.
        let anchorCreated: Bool
    }

    func run() throws -> Verified {
        let anchored = try anchor?.read(vault: keys.vaultID, key: keys.publicKey)
        var states = LatestStates()
        states.lastBaseline = try Self.lastBaselineSeq(on: db)
        // A capacity hint only (the table is what is being checked): no regrowth at a million.
        states.records.reserveCapacity(Int(clamping: try RecordTable.count(on: db)))
        try preloadBaseline(into: &states)
        let scan = try StoredLogScan.run(databasePath: databasePath, vaultKey: keys.publicKey, vault: keys.vaultID,
                                         entries: keys.entries, rootsAt: anchored.map { [$0.checkpoint.size] } ?? []) { state in
            try collect(state, into: &states)
        }
        let size = scan.tree.size
        if let anchored, let anchor { try Self.checkExtends(anchored, anchor: anchor, scan: scan) }
        let problems = [Self.logProblem(scan, cadence: cadence), states.chainProblem.map { first in
            states.chainProblems == 1 ? first : "\(first) (and \(states.chainProblems - 1) more)"
        }].compactMap { $0 }
        let logProblem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        if let logProblem, !allowDamagedLog {
            throw HavenError(.integrityError, "refusing to start: \(logProblem)",
                             hint: "run 'haven audit verify' on a copy, or start with --allow-damaged-audit-log to keep serving "
                                 + "and record the damage")
        }
        try AuditIndexRepair.run(scan, on: db)

        try check(.vaultMeta, actual: keys.rows.vaultMeta(meta), in: states.others)
        let users: [EnrolledUser]
        do {
            users = try UserTable.all(on: db)
        } catch let e as HavenError {
            throw refusal(e.message)
        }
        for user in users { try check(.user(user.name), actual: keys.rows.user(user), in: states.others) }
        let enrolled = Set(users.map(\.name))
        for case .user(let name) in states.others.keys where !enrolled.contains(name) {
            throw refusal("\(StateKey.user(name).location): deleted outside Haven (the audit log records the user, the table does not)")
        }

        let lastTime = scan.lastEntry.flatMap { try? AuditEntry(canonicalBytes: $0) }?.time ?? Timestamp(millisecondsSinceEpoch: 0)
        let chain = AuditChain(frontier: scan.tree, lastLeafHash: scan.lastLeafHash ?? [], lastTime: lastTime)
        let latest = scan.checkpoints.last { $0.checkpoint.size <= size }
        return Verified(chain: chain, latestCheckpoint: latest, ledger: StateLedger(records: states.records, logSize: size), users: users,
                        logProblem: logProblem, anchorCreated: anchor != nil && anchored == nil)
    }

    /// The latest state of each row, as the log has it so far.
    private struct LatestStates {
        var records = [StateLedger.Key: StateLedger.Latest]()
        var others = [StateKey: Tag16]()
        /// The entry whose baseline `state_baseline` holds now: a root key rotation writes a
        /// new baseline, and the table then holds only that one.
        var lastBaseline: UInt64?
        /// The first entry found out of its record's chain, and how many were.
        var chainProblem: String?
        var chainProblems = 0
    }

    /// The records of the last baseline, in before the log is read: entries about them from
    /// before the baseline's place are chained too (schema 9 chains every entry of a record
    /// the vault held), and their links are checked as they come. Their tags are set again
    /// at the baseline's place, where the rows are checked against its entry; a table with
    /// rows but no baseline entry is not read at all.
    private func preloadBaseline(into states: inout LatestStates) throws {
        guard states.lastBaseline != nil else { return }
        try StateBaselineTable.forEach(on: db) { k, t in
            guard case .record(let id)? = StateKey(text: k), let tag = Tag16(t) else { return }
            states.records[StateLedger.Key(id)] = StateLedger.Latest(tag: tag)
        }
    }

    /// The sequence number of the last entry that commits to a baseline. The column read
    /// here is covered by each entry's tag, which the scan checks.
    static func lastBaselineSeq(on db: Connection) throws -> UInt64? {
        let s = try db.statement("SELECT MAX(seq) FROM audit_entries WHERE state_key = ?")
        defer { db.resetStatements() }
        try s.bind(1, StateKey.baseline.text)
        guard try s.step(), let seq = s.optionalInt64(0) else { return nil }
        return UInt64(clamping: seq)
    }

    /// Takes the next state in log order; later ones supersede earlier ones. The baseline,
    /// where the vault was upgraded, is checked against the tag its entry holds and read in
    /// at its place in the log (no record state can precede it: older entries have none).
    private func collect(_ state: StoredLogScan.ScannedState, into states: inout LatestStates) throws {
        switch state {
        case .record(let id, let tag):
            states.records[id, default: StateLedger.Latest(tag: tag)].tag = tag
        case .link(let seq, let id, let text, let link):
            // Each chained entry must link to the record's previous one, or a search by record
            // would not reach what lies behind it.
            guard let id, let latest = states.records[id] else {
                noteChainProblem("audit entry \(seq) is chained to " + (id == nil ? "'\(NameRules.printable(text))', which is no record id"
                                     : "a record no audited change wrote") + " (table audit_entries was edited outside Haven)",
                                 in: &states)
                return
            }
            let expected: AuditRecordLink = latest.lastEntry == StateLedger.Latest.none ? .first : .after(latest.lastEntry)
            if link != expected {
                noteChainProblem("audit entry \(seq) does not link to the previous entry about its record "
                                 + "(\(expected == .first ? "none" : String(latest.lastEntry))): table audit_entries was edited "
                                 + "outside Haven, and a search by record may miss entries", in: &states)
            }
            states.records[id]?.lastEntry = seq
        case .other(let seq, let text, let tag):
            guard let key = StateKey(text: text) else { return }  // a later format's key: not this release's concern
            guard key == .baseline else {
                states.others[key] = tag
                return
            }
            // An earlier baseline was replaced by a later one (a rotation), which sets the
            // state of every row: only the last is read, and checked.
            guard seq == states.lastBaseline else { return }
            var digest = keys.rows.baselineDigest()
            try StateBaselineTable.forEach(on: db) { k, t in
                guard let key = StateKey(text: k), let tag = Tag16(t) else {
                    throw refusal("table state_baseline: row '\(NameRules.printable(k))' is malformed")
                }
                digest.add(key: k, tag: tag)
                if case .record(let id) = key {
                    states.records[StateLedger.Key(id), default: StateLedger.Latest(tag: tag)].tag = tag
                } else {
                    states.others[key] = tag
                }
            }
            guard digest.finish() == tag else {
                throw refusal("table state_baseline: its rows differ from those the upgrade's audit entry (seq \(seq)) "
                              + "committed to (edited outside Haven)")
            }
        }
    }

    private func noteChainProblem(_ problem: String, in states: inout LatestStates) {
        if states.chainProblem == nil { states.chainProblem = problem }
        states.chainProblems += 1
    }

    private func check(_ key: StateKey, actual: Tag16, in states: [StateKey: Tag16]) throws {
        guard let expected = states[key] else {
            throw refusal("\(key.location): no audited change wrote this row (inserted outside Haven)")
        }
        guard expected == actual else {
            throw refusal("\(key.location): the row differs from its last audited state (edited, or restored from an older copy)")
        }
    }

    private func refusal(_ finding: String) -> HavenError {
        HavenError(.integrityError, "refusing to start: \(finding)",
                   hint: "the vault's files were changed without the root key; restore the data directory from a backup")
    }

    /// The log's own problems as one line, or nil when it is whole.
    static func logProblem(_ scan: StoredLogScan, cadence: CheckpointCadence) -> String? {
        let size = scan.tree.size
        if let cut = scan.checkpoints.last(where: { $0.checkpoint.size > size }) {
            return "the audit log has \(size) entries but a signed checkpoint covers \(cut.checkpoint.size): entries were removed"
        }
        var problems = scan.report.problems.map(\.message)
        // A checkpoint whose root does not match is already a problem above; its size still
        // counts here, so one altered entry is not also reported as a missing checkpoint.
        problems += cadence.problems(size: size, signedSizes: scan.checkpoints.map(\.checkpoint.size))
        guard let first = problems.first else { return nil }
        return problems.count == 1 ? first : "\(first) (and \(problems.count - 1) more)"
    }

    /// Refuses a log that does not extend the anchor: shorter than it (an older copy of the
    /// data directory), or different within it (history rewritten).
    static func checkExtends(_ anchored: SignedCheckpoint, anchor: AnchorFile, scan: StoredLogScan) throws(HavenError) {
        let cp = anchored.checkpoint
        let hint = "restore the data directory this anchor belongs to, or its latest backup"
        if cp.size > scan.tree.size {
            throw HavenError(.integrityError, "refusing to start: the audit log has \(scan.tree.size) entries, but the anchor "
                             + "\(anchor.path) holds a checkpoint of \(cp.size) signed at \(cp.time.rfc3339): this data "
                             + "directory is older than its anchor (rolled back)", hint: hint)
        }
        guard scan.rootsAt[cp.size] == cp.root else {
            throw HavenError(.integrityError, "refusing to start: the first \(cp.size) entries of the audit log are not those the "
                             + "anchor \(anchor.path) signed at \(cp.time.rfc3339) (history rewritten)", hint: hint)
        }
    }
}
