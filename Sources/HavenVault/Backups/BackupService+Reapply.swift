import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import NIOCore

extension BackupService {
    /// An entry for an act applied again at a restore, naming the original (when, by whom,
    /// its place in the log it was made in).
    private func draft(_ action: String, record: RecordID?, rule: String, original: (when: Timestamp, by: UserName)) -> AuditEntryDraft {
        var draft = AuditEntryDraft(action: action, peer: PeerCredentials(uid: 0, gid: 0, pid: 0))
        draft.event.peer = nil
        draft.event.record = record?.rawValue
        draft.event.policyVersion = pipeline.policies.policy.version
        draft.event.rule = "re-applied at restore: \(rule) on \(original.when.rfc3339) by \(original.by) (journaled beside the anchor)"
        draft.event.detail["reapplied"] = "restore"
        draft.event.detail["original_at"] = original.when.rfc3339
        draft.event.detail["original_by"] = original.by.rawValue
        return draft
    }

    /// One erasure of the old list (`ANCHOR.erasures`), applied if the record is there and whole.
    func reapply(_ listed: ErasureList.Entry, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        erase(listed.record, draft("record.erase", record: listed.record, rule: "erased",
                                   original: (listed.tombstone.erasedAt, listed.tombstone.erasedBy)), by: listed.tombstone.erasedBy, on: loop)
    }

    /// One journaled act, applied to the restored vault unless it holds it already. True
    /// when it changed something; false (said in its entry, outcome `already`) when not.
    func reapply(_ act: RecoveryAct, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        let original = (act.when, act.by)
        switch act.kind {
        case .recordErased(let id):
            return erase(id, draft("record.erase", record: id, rule: act.label, original: original), by: act.by, on: loop)
        case .consentWithdrawn(let id, let flag):
            var e = draft("consent.record", record: id, rule: "\(act.label) (\(flag.rawValue))", original: original)
            e.event.detail["flag"] = flag.rawValue
            e.event.detail["consent"] = "withdraw"
            return write(e, on: loop) { tx, entry throws(HavenError) -> Bool in try self.withdraw(flag, of: id, by: act.by, tx, &entry) }
        case .referralRevoked(let id, let ref):
            return end(ref, of: id, as: .revoked, .revoke, act, on: loop)
        case .referralClosed(let id, let ref):
            return end(ref, of: id, as: .closed, .close, act, on: loop)
        case .referralDeclined(let id, let ref):
            return end(ref, of: id, as: .declined, .decline, act, on: loop)
        case .userRevoked(let name):
            var e = draft("user.revoke", record: nil, rule: act.label, original: original)
            e.event.detail["user"] = name.rawValue
            return write(e, on: loop) { tx, _ throws(HavenError) -> Bool in
                guard let user = try self.activeUser(name, tx) else { return false }
                guard try storeCall(self.pipeline.logger, { try UserTable.revoke(name, by: act.by, at: tx.now, on: tx.db) }) else { return false }
                var revoked = user
                revoked.revokedAt = tx.now
                revoked.revokedBy = act.by
                tx.wrote(.user(name), self.keys.rows.user(revoked))
                return true
            }
        case .userRekeyed(let name, let key):
            var e = draft("user.rekey", record: nil, rule: act.label, original: original)
            e.event.detail["user"] = name.rawValue
            e.event.detail["key_id"] = (try? PublicKey(bytes: key))?.keyID ?? "?"
            return write(e, on: loop) { tx, entry throws(HavenError) -> Bool in
                guard let user = try self.activeUser(name, tx), user.publicKey != key else { return false }
                entry.event.detail["old_key_id"] = (try? PublicKey(bytes: user.publicKey))?.keyID ?? "?"
                let done: Bool
                do {
                    done = try UserTable.rekey(name, publicKey: key, on: tx.db)
                } catch {
                    throw HavenError(.conflict, "the key \(entry.event.detail["key_id"] ?? "?") of \(name) could not be enrolled again: \(error)")
                }
                guard done else { return false }
                tx.wrote(.user(name), self.keys.rows.user(user.with(publicKey: key)))
                return true
            }
        }
    }

    private func end(_ ref: ReferralID, of id: RecordID, as status: ReferralStatus, _ step: ReferralEvent.Kind, _ act: RecoveryAct,
                     on loop: any EventLoop) -> EventLoopFuture<Bool> {
        var e = draft("referral.\(step.rawValue)", record: id, rule: act.label, original: (act.when, act.by))
        e.event.detail["referral"] = ref.rawValue
        return write(e, on: loop) { tx, entry throws(HavenError) -> Bool in
            try self.end(ref, of: id, as: status, step, by: act.by, original: act.when, tx, &entry)
        }
    }

    private func activeUser(_ name: UserName, _ tx: WriteTransaction) throws(HavenError) -> EnrolledUser? {
        try storeCall(pipeline.logger) { try UserTable.all(on: tx.db) }.first { $0.name == name && $0.isActive }
    }

    /// One re-application in the writer: its entry says `already` when nothing changed,
    /// and a failure fails the restore (which then leaves nothing behind).
    private func write(_ base: AuditEntryDraft, on loop: any EventLoop,
                       _ body: @escaping @Sendable (WriteTransaction, inout AuditEntryDraft) throws(HavenError) -> Bool) -> EventLoopFuture<Bool> {
        pipeline.writer.submit(on: loop) { tx in
            var e = base
            do throws(HavenError) {
                let changed = try body(tx, &e)
                e.event.decision = .allow
                if !changed { e.event.outcome = "already" }
                return (.success(changed), e.event)
            } catch where error.code == .notFound || error.code == .erased {
                // Created after the archive, or erased in it: nothing to do, and said.
                e.event.decision = .allow
                e.event.outcome = error.code.rawValue
                return (.success(false), e.event)
            } catch {
                return (.failure(error), e.failed(error))
            }
        }.map(\.value)
    }

    private func erase(_ id: RecordID, _ base: AuditEntryDraft, by: UserName, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        let policy = pipeline.policies.policy
        return write(base, on: loop) { [self] tx, e throws(HavenError) -> Bool in
            let opened = try pipeline.opener.open(id, in: .writer(tx.db), policy: policy)
            _ = try shredder.shred(opened, erasedBy: by, in: tx, &e)
            return true
        }
    }
}
