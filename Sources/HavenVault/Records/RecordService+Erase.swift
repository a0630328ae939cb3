import HavenAPI
import HavenCore
import HavenPolicy
import NIOCore

extension RecordService {
    /// `record.erase`: crypto-shredding. The record's wrapped data key, its sealed header and
    /// every field, note and consent event row are deleted in one audited change, which
    /// leaves a tombstone row (`RecordTombstone`): the record then answers `erased` (410)
    /// with the date to roles that could have read it, `not_found` to others
    /// (`RequestPipeline.erasedAnswer`). `secure_delete` zeroes the freed bytes, and the WAL
    /// is checkpointed and emptied before the answer, so the key's bytes are gone from the
    /// database file and its WAL once the caller hears "erased" — unless a read that began
    /// before the erasure is still open 2 s later: the answer then goes, and the WAL is
    /// emptied as soon as that read ends (`WALPurge`), without any other request waiting. The audit history stays;
    /// it never held values. The reason is a code of the policy's erasure reasons with an
    /// optional reference, checked once the caller may erase (so whoever may not hears
    /// `denied`, whatever they typed): free text would be kept for as long as the log.
    public func erase(_ ctx: RequestContext, id rawID: String, request: EraseRecordRequest) -> EventLoopFuture<EraseRecordResponse> {
        pipeline.handle(Action.recordErase.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<EraseRecordResponse> in
            let subject = RequestPipeline.subject(of: user)
            let policy = pipeline.policies.policy
            let (code, reference) = (request.reason, request.reference)
            return pipeline.change(ctx, entry) { [self] (tx, entry) throws(HavenError) -> RecordTombstone in
                let opened = try pipeline.opener.open(id, in: .writer(tx.db), policy: policy)
                let decision = policy.decide(AccessRequest(subject: subject, action: .recordErase, record: opened.facts, now: tx.now))
                try RequestPipeline.require(decision, &entry)
                let reason = try policy.erasure.check(code: code, reference: reference)
                entry.event.detail["reason"] = reason.code
                entry.event.detail["reference"] = reference
                return try shredder.shred(opened, erasedBy: subject.user, in: tx, &entry)
            }.flatMapThrowing { committed in
                // An archive waiting to be fetched was made before: it would keep the record.
                spool.empty()
                _ = try pipeline.journaled(committed, .recordErased(id), by: subject.user, keys: shredder.keys)
                return EraseRecordResponse(id: id.rawValue, erasedAt: committed.value.erasedAt.rfc3339,
                                           erasedBy: committed.value.erasedBy.rawValue)
            }.flatMap { answer in
                // The WAL is emptied off the writer's path (WALPurge); the answer waits for it,
                // unless a reader older than the erasure holds it past the bound.
                pipeline.writer.walEmptied(on: ctx.eventLoop).map { _ in answer }
            }
        }
    }
}
