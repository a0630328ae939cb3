import HavenAudit
import HavenBackup
import HavenCore
import HavenStore
import NIOCore

extension BackupService {
    /// What a restore applied again, by kind, and what it found the archive already held.
    public struct Reapplied: Sendable {
        /// Acts applied again, by `RecoveryAct.label`.
        public var applied: [String: Int] = [:]
        /// Acts made after the archive that it already held, or whose record or user it never had.
        public var already = 0
        /// Acts journaled before the archive was made (it holds them).
        public var before = 0
        /// The records erased again.
        public var erased: [RecordID] = []
    }

    /// How many times this vault's log says it was restored from a backup (its restore
    /// epoch): a restored copy and the vault it came from differ here and in every
    /// checkpoint from the restore on.
    public func countRestores() throws(HavenError) -> Int {
        let logger = pipeline.logger
        return try pipeline.readSnapshot { (view) throws(HavenError) -> Int in try storeCall(logger) { try Self.countRestores(on: view.db) } }
    }

    static func countRestores(on db: Connection) throws -> Int {
        let s = try db.statement("SELECT COUNT(*) FROM audit_entries WHERE action = 'vault.restore'")
        defer { db.resetStatements() }
        _ = try s.step()
        return Int(s.int64(0))
    }

    /// The time of the log's entry `seq` (the archive's last, before the restore writes).
    public func entryTime(_ seq: UInt64) throws(HavenError) -> Timestamp? {
        let logger = pipeline.logger
        return try pipeline.readSnapshot { (view) throws(HavenError) -> Timestamp? in
            try storeCall(logger) {
                let s = try view.db.statement("SELECT time FROM audit_entries WHERE seq = ?")
                defer { view.db.resetStatements() }
                try s.bind(1, Int64(clamping: seq))
                return try s.step() ? Timestamp(millisecondsSinceEpoch: s.int64(0)) : nil
            }
        }
    }

    /// What the log's first `size` entries made, by count (`RecoveryTally.Counts`).
    public func counts(upTo size: UInt64) throws(HavenError) -> RecoveryTally.Counts {
        let logger = pipeline.logger
        return try pipeline.readSnapshot { (view) throws(HavenError) -> RecoveryTally.Counts in
            try storeCall(logger) { try RecoveryTally.Counts().adding(range: 0..<size, on: view.db) }
        }
    }

    /// After a restore: the anchor's tally counted afresh from the restored log (its
    /// timeline is the restored one now), the journal made if it was not there
    /// (`--without-journal`), the tally written under a temporary name: the caller puts it
    /// in place (`Staged.place`) only once the anchor is written, so a restore whose anchor
    /// write fails leaves the tally of the vault it did not replace.
    public func retally(_ anchor: AnchorFile, size: UInt64) throws(HavenError) -> RecoveryTally.Staged {
        let journal = RecoveryJournal(anchor: anchor)
        let now = pipeline.clock.now()
        return try pipeline.readSnapshot { (view) throws(HavenError) -> RecoveryTally.Staged in
            do {
                return try RecoveryTally(anchor: anchor).next(to: size, journal: journal, db: view.db, keys: keys, now: now, fresh: true)
                    .stage(vault: keys.vaultID, signer: keys.signingKey)
            } catch let e as HavenError {
                throw e
            } catch {
                throw HavenError(.ioError, "the tally beside the anchor could not be written: \(error)")
            }
        }
    }

    /// The first entry after the snapshot's log: the vault was restored, from which archive
    /// and when it was made; then every erasure of the old list, and every act journaled at
    /// or after the archive's last entry, applied again in order, each an entry of its own
    /// naming the original act; then a checkpoint.
    public func recordRestore(on loop: any EventLoop, archive: String, header: BackupHeader,
                              erasures: [ErasureList.Entry], acts: [RecoveryAct]) -> EventLoopFuture<Reapplied> {
        let epoch = ((try? countRestores()) ?? 0) + 1
        // Acts are applied in the order they committed, which is not always the journal's:
        // each is appended after its commit, from whichever event loop answers it, so two
        // rekeys of one user can be journaled in the opposite order. Each act's time is its
        // audit entry's, which never goes back along the log, so (time, seq) is commit order
        // within one log; across restores, log positions restart but time goes on.
        let end = (try? entryTime(header.auditSize &- 1)) ?? nil
        let after = acts.filter { end == nil || $0.when >= end! }.sorted { ($0.when, $0.seq) < ($1.when, $1.seq) }
        let writer = pipeline.writer
        let event = AuditEvent(action: "vault.restore", decision: .allow, rule: "restored from a backup archive",
                               policyVersion: pipeline.policies.policy.version,
                               detail: ["archive": archive, "backup_created_at": header.createdAt.rfc3339,
                                        "backup_audit_size": String(header.auditSize), "restore_epoch": String(epoch),
                                        "erasures_listed": String(erasures.count), "journaled_since": String(after.count)])
        var done = writer.audit(on: loop, event).map { _ in Reapplied(before: acts.count - after.count) }
        for entry in erasures {
            done = done.flatMap { sum in
                self.reapply(entry, on: loop).map { again in
                    var sum = sum
                    if again { sum.erased.append(entry.record); sum.applied["record erased", default: 0] += 1 } else { sum.already += 1 }
                    return sum
                }
            }
        }
        for act in after {
            done = done.flatMap { sum in
                self.reapply(act, on: loop).map { again in
                    var sum = sum
                    if again {
                        sum.applied[act.label, default: 0] += 1
                        if case .recordErased(let id) = act.kind { sum.erased.append(id) }
                    } else {
                        sum.already += 1
                    }
                    return sum
                }
            }
        }
        return done.flatMap { sum in
            writer.audit(on: loop, AuditEvent(action: "vault.restored", decision: .allow,
                                              rule: "restore complete: the acts journaled since the backup re-applied",
                                              policyVersion: self.pipeline.policies.policy.version,
                                              detail: ["erased_again": String(sum.erased.count), "restore_epoch": String(epoch),
                                                       "reapplied": String(sum.applied.values.reduce(0, +)),
                                                       "already_in_archive": String(sum.already)]),
                         checkpoint: true).map { _ in sum }
        }
    }
}
