import HavenAudit
import HavenCore
import HavenStore

/// Writes again, from each entry's own bytes, the columns the filters read (`AuditIndex`)
/// of the entries the log check found copied wrong (`StoredLogScan.misindexed`).
///
/// The start-up check refuses such a log as it refuses any other damage to it; the daemon
/// comes here only when the operator chose to serve with `--allow-damaged-audit-log`, whose
/// `daemon.start` entry names the entries. Serving the damage as found would let the edit
/// stand: a break-glass read would stay out of `audit log --break-glass`, a refusal out of
/// `--denied`, and `audit summary` would count it for someone else. The copies are derived,
/// so what they must say is never in doubt: the entry the tag and the tree cover.
enum AuditIndexRepair {
    /// Rewrites the copies in one transaction; an entry that no longer parses (damage the
    /// check has named already) is left as it is.
    static func run(_ scan: StoredLogScan, on db: Connection) throws {
        guard !scan.misindexed.isEmpty else { return }
        try db.transaction {
            for (seq, _) in scan.misindexed {
                guard let bytes = try AuditTable.entry(seq: seq, on: db), let entry = try? AuditEntry(canonicalBytes: bytes) else { continue }
                try AuditTable.setIndex(seq: seq, AuditIndex(entry), on: db)
            }
        }
        db.resetStatements()
    }
}

extension AuditIndex {
    /// The copies of `entry`, as the writer makes them (`AuditAppender`).
    init(_ entry: AuditEntry) {
        let e = entry.event
        self.init(time: entry.time.millisecondsSinceEpoch, action: e.action, user: e.actor?.user, record: e.record,
                  decision: e.decision.rawValue, breakGlass: e.breakGlass != nil)
    }
}
