import HavenAudit
import HavenBackup
import HavenCore
import HavenStore
import NIOCore

extension BackupService {
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

    /// The first entry after the snapshot's log: the vault was restored, from which archive
    /// and when it was made; then every erasure listed since is applied again, each an entry
    /// of its own; then a checkpoint. Returns the records erased again.
    public func recordRestore(on loop: any EventLoop, archive: String, header: BackupHeader,
                              erasures: [ErasureList.Entry]) -> EventLoopFuture<[RecordID]> {
        let epoch = ((try? countRestores()) ?? 0) + 1
        let writer = pipeline.writer
        let event = AuditEvent(action: "vault.restore", decision: .allow, rule: "restored from a backup archive",
                               policyVersion: pipeline.policies.policy.version,
                               detail: ["archive": archive, "backup_created_at": header.createdAt.rfc3339,
                                        "backup_audit_size": String(header.auditSize), "restore_epoch": String(epoch),
                                        "erasures_listed": String(erasures.count)])
        var done = writer.audit(on: loop, event).map { _ in [RecordID]() }
        for entry in erasures {
            done = done.flatMap { erased in
                self.reapply(entry, on: loop).map { again in again ? erased + [entry.record] : erased }
            }
        }
        return done.flatMap { erased in
            writer.audit(on: loop, AuditEvent(action: "vault.restored", decision: .allow,
                                              rule: "restore complete: erasures listed since the backup re-applied",
                                              policyVersion: self.pipeline.policies.policy.version,
                                              detail: ["erased_again": String(erased.count), "restore_epoch": String(epoch)]),
                         checkpoint: true).map { _ in erased }
        }
    }

    /// One listed erasure, applied to the restored vault if the record is there and whole.
    private func reapply(_ listed: ErasureList.Entry, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        let policy = pipeline.policies.policy
        var draft = AuditEntryDraft(action: "record.erase", peer: PeerCredentials(uid: 0, gid: 0, pid: 0))
        draft.event.peer = nil
        draft.event.record = listed.record.rawValue
        draft.event.policyVersion = policy.version
        draft.event.rule = "re-applied at restore: erased on \(listed.tombstone.erasedAt.rfc3339) by \(listed.tombstone.erasedBy) "
            + "(listed beside the anchor)"
        let base = draft
        return pipeline.writer.submit(on: loop) { [self] tx in
            var e = base
            do throws(HavenError) {
                let opened = try pipeline.opener.open(listed.record, in: .writer(tx.db), policy: policy)
                e.event.decision = .allow
                _ = try shredder.shred(opened, erasedBy: listed.tombstone.erasedBy, in: tx, &e)
                return (.success(true), e.event)
            } catch where error.code == .erased || error.code == .notFound {
                // Erased in the archive already, or created after it: nothing to do, and said.
                e.event.decision = .allow
                e.event.outcome = error.code.rawValue
                return (.success(false), e.event)
            } catch {
                return (.failure(error), e.failed(error))
            }
        }.map(\.value)
    }
}
