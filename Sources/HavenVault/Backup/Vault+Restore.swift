import HavenAudit
import HavenBackup
import HavenCore
import HavenStore
import NIOCore

extension Vault {
    /// How many times this vault's log says it was restored from a backup (its restore
    /// epoch): a restored copy and the vault it came from differ here and in every
    /// checkpoint from the restore on.
    public func countRestores() throws(HavenError) -> Int {
        try readSnapshot { (view) throws(HavenError) -> Int in try storeCall(logger) { try Self.countRestores(on: view.db) } }
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
        let event = AuditEvent(action: "vault.restore", decision: .allow, rule: "restored from a backup archive",
                               policyVersion: policies.policy.version,
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
            self.writer.audit(on: loop, AuditEvent(action: "vault.restored", decision: .allow,
                                                   rule: "restore complete: erasures listed since the backup re-applied",
                                                   policyVersion: self.policies.policy.version,
                                                   detail: ["erased_again": String(erased.count), "restore_epoch": String(epoch)]),
                              checkpoint: true).map { _ in erased }
        }
    }

    /// One listed erasure, applied to the restored vault if the record is there and whole.
    private func reapply(_ entry: ErasureList.Entry, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        let policy = policies.policy
        var record = RequestRecord(action: "record.erase", peer: PeerCredentials(uid: 0, gid: 0, pid: 0))
        record.event.peer = nil
        record.event.record = entry.record.rawValue
        record.event.policyVersion = policy.version
        record.event.rule = "re-applied at restore: erased on \(entry.tombstone.erasedAt.rfc3339) by \(entry.tombstone.erasedBy) "
            + "(listed beside the anchor)"
        let base = record
        return writer.submit(on: loop) { [self] tx in
            var r = base
            do throws(HavenError) {
                let opened = try openRecord(entry.record, in: .writer(tx.db), policy: policy)
                r.event.decision = .allow
                _ = try shred(opened, erasedBy: entry.tombstone.erasedBy, in: tx, &r)
                return (.success(true), r.event)
            } catch where error.code == .erased || error.code == .notFound {
                // Erased in the archive already, or created after it: nothing to do, and said.
                r.event.decision = .allow
                r.event.outcome = error.code.rawValue
                return (.success(false), r.event)
            } catch {
                return (.failure(error), r.failed(error))
            }
        }.map(\.value)
    }
}
