import Dispatch
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

/// The audit log as auditors read it (`vault.audit`): entries, exact bytes, checkpoints,
/// proofs, a summary per user and a full verification. Every read is itself decided and
/// audited; an auditor reads entries, never a record.
public struct AuditService: Sendable {
    let pipeline: RequestPipeline
    let directory: DataDirectory
    let keys: VaultKeys

    /// Most entries one page of `audit log` or `audit raw` returns.
    public static let maximumPage = 5000

    /// Runs an auditor's read: decide `audit.read`, read from one snapshot, and answer after
    /// the access itself is audited. Everyone else is denied, and the denial is an entry too.
    func auditRead<T: Sendable>(_ ctx: RequestContext, operation: String, detail: [String: String] = [:],
                                _ body: @escaping @Sendable (Connection) throws(HavenError) -> T) -> EventLoopFuture<T> {
        var entry = pipeline.begin(Action.auditRead.rawValue, ctx)
        // Merged under what begin stamped: the bridge's origin is not the request's to name.
        entry.event.detail.merge(detail.merging(["operation": operation]) { a, _ in a }) { stamped, _ in stamped }
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<T> in
            _ = try pipeline.authorize(ctx, &entry, .auditRead, under: pipeline.policies.policy)
            let answer = try pipeline.readSnapshot { (view) throws(HavenError) -> T in try body(view.db) }
            return pipeline.answer(ctx, entry, answer)
        }
    }

    /// `haven audit log`: entries matching a filter, as their own JSON.
    /// `audit.read` of entries: oldest first after `cursor`, or newest first before it; `next`
    /// is the cursor of the following page and `remaining` how many entries lie beyond.
    public func entries(_ ctx: RequestContext, filter: AuditFilter, newestFirst: Bool = false, cursor: UInt64?,
                             limit: Int?) -> EventLoopFuture<[UInt8]> {
        let page = min(max(limit ?? 100, 1), Self.maximumPage)
        let logger = pipeline.logger
        // Before the snapshot begins, so that it holds every entry of the chain read here.
        let chain = filter.record.map { pipeline.ledger.chain(of: $0) }
        let users = pipeline.users
        return auditRead(ctx, operation: "log") { (db) throws(HavenError) -> [UInt8] in
            // An auditor told nothing matched a misspelt name would conclude the user did nothing.
            if let name = filter.user, !name.isEmpty { try Self.enrolled(name, in: users) }
            let found = try storeCall(logger) {
                do {
                    return try AuditTable.search(filter, chain: chain, newestFirst: newestFirst, cursor: cursor, limit: page, on: db)
                } catch let broken as AuditChainBroken {
                    logger.critical("a record's audit chain is broken", metadata: ["seq": "\(broken.seq)"])
                    throw HavenError.integrityFinding(broken.description)
                }
            }
            var w = JSONWriter(capacity: 512 * found.rows.count + 96)
            w.object { o in
                o.key("entries")
                // The stored canonical bytes are JSON objects already: embedded as they are.
                o.array { a in for r in found.rows { a.raw(r.entry) } }
                o.key("next")
                if found.remaining > 0, let last = found.rows.last { o.int(last.seq) } else { o.null() }
                o.field("remaining", found.remaining)
            }
            return w.bytes
        }
    }

    /// Throws `invalid_value` unless `name` was ever enrolled, with the names closest to it.
    static func enrolled(_ name: String, in users: UserDirectory) throws(HavenError) {
        if let known = try? UserName(name), users.user(named: known) != nil { return }
        let question = CloseMatches.question(name, among: users.all().map(\.name.rawValue))
        throw HavenError(.invalidValue, "no user '\(NameRules.printable(name))'",
                         hint: question.isEmpty ? "'haven user list' names every user" : String(question.dropLast()))
    }

    /// `haven audit export`: entries `from..<from+limit` as exact bytes (JSON strings).
    public func raw(_ ctx: RequestContext, from: UInt64, limit: Int?) -> EventLoopFuture<[UInt8]> {
        let count = UInt64(min(max(limit ?? Self.maximumPage, 1), Self.maximumPage))
        let logger = pipeline.logger
        return auditRead(ctx, operation: "export", detail: ["from": String(from)]) { (db) throws(HavenError) -> [UInt8] in
            var w = JSONWriter(capacity: 600 * Int(count) + 64)
            try storeCall(logger) {
                try w.object { o in
                    o.field("from", from)
                    o.key("entries")
                    try o.array { a in
                        let end = from.addingReportingOverflow(count)
                        try AuditTable.forEachEntry(in: from..<(end.overflow ? UInt64.max : end.partialValue), on: db) { _, entry, _ in
                            a.string(utf8: entry)
                        }
                    }
                }
            }
            return w.bytes
        }
    }

    /// Signed checkpoints with sizes in `range`.
    public func checkpoints(_ ctx: RequestContext, range: ClosedRange<UInt64>) -> EventLoopFuture<CheckpointsResponse> {
        let logger = pipeline.logger
        return auditRead(ctx, operation: "checkpoints") { (db) throws(HavenError) -> CheckpointsResponse in
            let rows = try storeCall(logger) { try AuditTable.checkpoints(on: db) }
            // A stored checkpoint that does not parse is left out here; `audit verify` reports it.
            let parsed = rows.filter { range.contains($0.size) }.compactMap { try? SignedCheckpoint(json: $0.note) }
            return CheckpointsResponse(checkpoints: parsed)
        }
    }

    /// Signs a checkpoint of the whole log now (`haven audit checkpoint`). The request's own
    /// entry is the last one covered.
    public func makeCheckpoint(_ ctx: RequestContext) -> EventLoopFuture<CheckpointsResponse> {
        var entry = pipeline.begin(Action.auditRead.rawValue, ctx)
        entry.event.detail["operation"] = "checkpoint"
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<CheckpointsResponse> in
            _ = try pipeline.authorize(ctx, &entry, .auditRead, under: pipeline.policies.policy)
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event, checkpoint: true).flatMapThrowing { committed in
                guard let cp = committed.checkpoint else { throw HavenError.auditUnavailable }
                return CheckpointsResponse(checkpoints: [cp])
            }
        }
    }

    /// The tree before entry `size`, for a verifier starting there.
    public func prefix(_ ctx: RequestContext, size: UInt64) -> EventLoopFuture<PrefixResponse> {
        let committed = pipeline.writer.head.size
        return auditRead(ctx, operation: "prefix", detail: ["size": String(size)]) { (db) throws(HavenError) -> PrefixResponse in
            guard size <= committed else { throw HavenError(.invalidValue, "the log has only \(committed) entries") }
            return try Self.proofCall {
                let tree = MerkleTree(size: size, source: StoredLeaves(db: db))
                let previous = size == 0 ? nil : try StoredLeaves(db: db).leafHashes((size - 1)..<size).first
                return PrefixResponse(size: size, prefix: try tree.subtreeHashes(ofPrefix: size).map { Base64.encode($0) },
                                      previousLeaf: previous.map { Hex.encode($0) })
            }
        }
    }

    /// An inclusion proof of entry `seq` in the tree of the checkpoint that first covers it.
    public func inclusionProof(_ ctx: RequestContext, seq: UInt64) -> EventLoopFuture<InclusionProofResponse> {
        let logger = pipeline.logger
        let committed = pipeline.writer.head.size
        return auditRead(ctx, operation: "inclusion proof", detail: ["seq": String(seq)]) { (db) throws(HavenError) -> InclusionProofResponse in
            guard seq < committed else { throw HavenError.notFound("the log has no entry \(seq)") }
            guard let row = try storeCall(logger, { try AuditTable.checkpoint(covering: seq, on: db) }),
                  let cp = try? SignedCheckpoint(json: row.note) else {
                throw HavenError.notFound("no checkpoint covers entry \(seq) yet; make one with 'haven audit checkpoint'")
            }
            return try Self.proofCall {
                let source = StoredLeaves(db: db)
                let leaf = try source.leafHashes(seq..<(seq + 1))[0]
                let proof = try MerkleTree(size: cp.checkpoint.size, source: source).inclusionProof(index: seq)
                return InclusionProofResponse(seq: seq, size: cp.checkpoint.size, leafHash: Base64.encode(leaf),
                                              proof: proof.map { Base64.encode($0) }, checkpoint: cp)
            }
        }
    }

    /// A consistency proof from the tree of `from` entries to the checkpoint of size `to`
    /// (default: the latest).
    public func consistencyProof(_ ctx: RequestContext, from: UInt64, to: UInt64?) -> EventLoopFuture<ConsistencyProofResponse> {
        let logger = pipeline.logger
        return auditRead(ctx, operation: "consistency proof", detail: ["from": String(from)]) { (db) throws(HavenError) -> ConsistencyProofResponse in
            let rows = try storeCall(logger) { try AuditTable.checkpoints(on: db) }
            guard let row = to.map({ size in rows.first { $0.size == size } }) ?? rows.last,
                  let latest = try? SignedCheckpoint(json: row.note) else {
                throw HavenError.notFound(to.map { "no checkpoint of size \($0)" } ?? "the log has no checkpoint")
            }
            guard from <= latest.checkpoint.size else {
                throw HavenError(.invalidValue, "size \(from) is beyond the latest checkpoint (\(latest.checkpoint.size))")
            }
            return try Self.proofCall {
                let proof = try MerkleTree(size: latest.checkpoint.size, source: StoredLeaves(db: db)).consistencyProof(from: from)
                return ConsistencyProofResponse(from: from, to: latest.checkpoint.size, proof: proof.map { Base64.encode($0) },
                                                newCheckpoint: latest)
            }
        }
    }

    /// `haven audit summary`: per user, over a period.
    public func summary(_ ctx: RequestContext, since: Timestamp?, until: Timestamp?) -> EventLoopFuture<AuditSummaryResponse> {
        let logger = pipeline.logger
        let users = pipeline.users
        return auditRead(ctx, operation: "summary") { (db) throws(HavenError) -> AuditSummaryResponse in
            let rows = try storeCall(logger) {
                try AuditTable.summary(since: since?.millisecondsSinceEpoch, until: until?.millisecondsSinceEpoch, on: db)
            }
            return AuditSummaryResponse(since: since?.rfc3339, until: until?.rfc3339, users: rows.map { r in
                let role = (try? UserName(r.user)).flatMap { users.user(named: $0) }?.role.rawValue
                return .init(user: r.user.isEmpty ? "(unauthenticated)" : r.user, role: role, reads: r.reads, denied: r.denied,
                             breakGlass: r.breakGlass, extracts: r.extracts, requests: r.requests)
            })
        }
    }

    /// `haven audit verify`: signs a checkpoint of the log as the daemon wrote it, then
    /// recomputes the whole tree from the stored entry bytes, off the event loops.
    public func verify(_ ctx: RequestContext) -> EventLoopFuture<VerificationReport> {
        var entry = pipeline.begin(Action.auditRead.rawValue, ctx)
        entry.event.detail["operation"] = "verify"
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<VerificationReport> in
            _ = try pipeline.authorize(ctx, &entry, .auditRead, under: pipeline.policies.policy)
            // The checkpoint is made from the writer's memory, not from the tables, so an entry
            // edited in the file since it was written cannot be signed over.
            return pipeline.writer.audit(on: ctx.eventLoop, entry.event, checkpoint: true).flatMap { _ in
                let promise = ctx.eventLoop.makePromise(of: VerificationReport.self)
                DispatchQueue.global().async {
                    promise.completeWith(Result { () throws(HavenError) -> VerificationReport in try self.verifyStoredLog() })
                }
                return promise.futureResult
            }
        }
    }

    func verifyStoredLog() throws(HavenError) -> VerificationReport {
        do {
            return try StoredLogScan.run(databasePath: directory.databasePath, vaultKey: keys.publicKey, vault: keys.vaultID,
                                         entries: keys.entries).report
        } catch {
            pipeline.logger.error("audit verification could not read the log", metadata: ["error": "\(error)"])
            throw HavenError.storeUnavailable
        }
    }

    /// Proof computation over stored hashes; a gap in the store is an integrity failure.
    static func proofCall<R>(_ body: () throws -> R) throws(HavenError) -> R {
        do {
            return try body()
        } catch is AuditStoreGap {
            throw HavenError.integrity
        } catch let e as HavenError {
            throw e
        } catch {
            throw HavenError.storeUnavailable
        }
    }
}
