import HavenAPI
import HavenAudit
import HavenCore
import HavenPolicy
import HavenStore
import NIOCore

extension Vault {
    /// `record.erase`: crypto-shredding. The record's wrapped data key, its sealed header and
    /// every field, note and consent event row are deleted in one audited change, which
    /// leaves a tombstone row (`RecordTombstone`): the record then answers `erased` (410)
    /// with when and by whom. `secure_delete` zeroes the freed bytes, and the WAL is
    /// checkpointed and emptied before the answer, so the key's bytes are gone from the
    /// database file and its WAL once the caller hears "erased". The audit history stays;
    /// it never held values.
    public func eraseRecord(_ ctx: RequestContext, id rawID: String, request: EraseRecordRequest) -> EventLoopFuture<EraseRecordResponse> {
        var record = RequestRecord(action: Action.recordErase.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<EraseRecordResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let id = try RecordID(rawID)
            record.event.record = id.rawValue
            try FieldValueRules.checkText(request.reason, what: "reason", maximum: Self.maximumPurposeLength)
            // Destroying a survivor's record is never a slip of the keyboard: the reason
            // follows the rule a break-glass reason does.
            guard BreakGlassReason.isMeaningful(request.reason) else {
                throw HavenError(.invalidValue, "the reason for an erasure must say why: " + BreakGlassReason.rule)
            }
            record.event.detail["reason"] = request.reason
            let subject = subject(of: user)
            let policy = policies.policy
            return change(ctx, record) { [self] (tx, record) throws(HavenError) -> RecordTombstone in
                let opened = try openRecord(id, in: .writer(tx.db), policy: policy)
                let decision = policy.decide(AccessRequest(subject: subject, action: .recordErase, record: opened.facts, now: tx.now))
                record.note(decision)
                guard decision.allowed else { throw denial(decision) }
                let tombstone = try shred(opened, erasedBy: subject.user, in: tx, &record)
                return tombstone
            }.map { committed in
                self.listErasure(id, committed.value)
                // An archive waiting to be fetched was made before: it would keep the record.
                Self.emptySpool(self.directory, logger: self.logger)
                return Self.erasure(id, committed.value)
            }
        }
    }

    /// Deletes an opened record's key, header and history rows, leaving its tombstone, in
    /// the writer's transaction; the caller has decided it may.
    func shred(_ opened: OpenedRecord, erasedBy: UserName, in tx: WriteTransaction,
               _ record: inout RequestRecord) throws(HavenError) -> RecordTombstone {
        let id = opened.header.id
        let tombstone = RecordTombstone(createdBy: opened.header.createdBy, erasedAt: tx.now, erasedBy: erasedBy)
        let row = StoredRecord(id: id, type: opened.row.type, agency: opened.row.agency, status: RecordTombstone.status,
                               version: opened.row.version + 1, createdAt: opened.row.createdAt, updatedAt: tx.now,
                               dataKeyVersion: opened.row.dataKeyVersion, wrappedKey: [], sealedHeader: tombstone.bytes)
        let erased = try storeCall(logger) { try RecordTable.erase(row, expectedVersion: opened.row.version, on: tx.db) }
        guard erased else { throw HavenError(.conflict, "record \(id) changed while it was being erased; try again") }
        record.event.detail["fields"] = String(opened.header.fieldVersions.count)
        record.event.detail["notes"] = String(opened.header.noteCount)
        record.event.detail["consent_events"] = String(opened.header.consent.count)
        tx.wrote(.record(id), keys.rows.record(row))
        tx.requestWALPurge()
        return tombstone
    }

    /// With an anchor, the erasure is also listed beside it, so a restore re-applies it.
    /// After the commit: a listed erasure that never happened would destroy a record at restore.
    func listErasure(_ id: RecordID, _ tombstone: RecordTombstone) {
        guard let anchor = writer.anchor else { return }
        do {
            try ErasureList(anchor: anchor).append(.init(record: id, tombstone: tombstone), vault: keys.vaultID, signer: keys.signingKey)
        } catch {
            logger.critical("the erasure could not be listed beside the anchor; a restore of an older backup would bring it back",
                            metadata: ["record": "\(id)", "error": "\(error.message)"])
        }
    }

    static func erasure(_ id: RecordID, _ t: RecordTombstone) -> EraseRecordResponse {
        EraseRecordResponse(id: id.rawValue, erasedAt: t.erasedAt.rfc3339, erasedBy: t.erasedBy.rawValue)
    }

    /// The answer to any request for an erased record (410 `erased`).
    static func erasedError(_ id: RecordID, _ row: StoredRecord) -> HavenError {
        guard let t = RecordTombstone(bytes: row.sealedHeader) else {
            return HavenError(.erased, "record \(id) was erased")
        }
        return HavenError(.erased, "record \(id) was erased on \(t.erasedAt.rfc3339) by \(t.erasedBy)",
                          hint: "nothing of it can be read any more; its audit history remains ('haven audit log --record \(id)')")
    }
}
