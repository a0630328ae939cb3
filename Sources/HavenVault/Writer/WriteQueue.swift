import Foundation
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging
import NIOCore

/// The vault's single writer: one thread that owns the write connection and the head of
/// the audit log, and commits queued jobs in groups.
///
/// Group commit: every job queued while a commit is in progress goes into the next
/// transaction, so concurrent requests share one fsync. Each job runs inside its own
/// SAVEPOINT, followed by its audit entry; a job that fails is rolled back to its
/// savepoint, and its failure is audited instead. No job's promise is completed before
/// COMMIT returns, so no answer ever leaves before its audit entry is durable; if COMMIT
/// fails, every job in the group fails with `audit_unavailable` and the in-memory log
/// head is put back as it was.
public final class WriteQueue: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Most jobs in one transaction; bounds the latency one commit adds.
        public var maximumBatch = 512
        /// Sign a checkpoint after this many new entries…
        public var checkpointEveryEntries: UInt64 = 1000
        /// …or after this long with new entries.
        public var checkpointEveryMilliseconds: Int64 = 10_000

        public init() {}
    }

    private let db: Connection
    private let keys: VaultKeys
    private let clock: any HavenClock
    private let logger: Logger
    private let configuration: Configuration

    // Shared with submitters; guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [any AnyWriteJob] = []
    private var running = true
    private var stopped = false
    private var publishedHead: AuditHead

    /// The latest audited state of every record; the writer stages what each job writes
    /// and publishes it when the group commits (see `StateLedger`).
    let ledger: StateLedger
    /// Where each committed checkpoint is also written, outside the data directory; while
    /// it cannot be, changes are refused (`AnchorKeeper`).
    let anchorKeeper: AnchorKeeper?
    var anchor: AnchorFile? { anchorKeeper?.file }
    /// Copies the WAL into the database off the commit path (its own thread and connection).
    private let walCheckpointer: WALCheckpointer?
    /// Empties the WAL after an erasure, never waiting for a reader (see `WALPurge`).
    private let walPurge: WALPurge

    // Owned by the writer thread.
    private var chain: AuditChain
    private var lastCheckpointSize: UInt64
    private var lastCheckpointTime: Timestamp
    private var thread: Thread?

    /// What the start-up check of the log found wrong, if anything (see `StartupCheck`).
    public let startupProblem: String?

    /// The committed head of the audit log, as readers may see it.
    public struct AuditHead: Sendable {
        public let size: UInt64
        public let latestCheckpoint: SignedCheckpoint?
    }

    /// Resumes the log where the start-up check left it (`StartupCheck`): the writer never
    /// extends a log it has not verified, and never trusts the stored tiles for its head.
    init(db: Connection, keys: VaultKeys, clock: any HavenClock, logger: Logger, configuration: Configuration,
         verified: StartupCheck.Verified, anchor: AnchorKeeper?, walCheckpointer: WALCheckpointer? = nil) {
        self.db = db
        self.walCheckpointer = walCheckpointer
        self.keys = keys
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        walPurge = WALPurge(logger: logger)
        self.ledger = verified.ledger
        self.anchorKeeper = anchor
        chain = verified.chain
        let latest = verified.latestCheckpoint
        startupProblem = verified.logProblem
        lastCheckpointSize = latest?.checkpoint.size ?? 0
        lastCheckpointTime = latest?.checkpoint.time ?? Timestamp(millisecondsSinceEpoch: 0)
        publishedHead = AuditHead(size: chain.size, latestCheckpoint: latest)
    }

    public func start() {
        if let walCheckpointer {
            db.onWALCommit { frames in walCheckpointer.committed(frames: frames) }
            walCheckpointer.start()
        }
        let t = Thread { [self] in self.loop() }
        t.name = "haven-writer"
        thread = t
        t.start()
    }

    /// Queues a job; the future completes after the group holding it has committed.
    func submit<T: Sendable>(on eventLoop: any EventLoop, _ body: @escaping WriteJob<T>.Body) -> EventLoopFuture<Committed<T>> {
        let promise = eventLoop.makePromise(of: Committed<T>.self)
        enqueue(WriteJob(on: eventLoop, body: body, complete: { promise.completeWith($0.mapError { $0 }) }))
        return promise.futureResult
    }

    /// Audits an event that changes no data (reads, denials, ceremonies).
    public func audit(on eventLoop: any EventLoop, _ event: AuditEvent, checkpoint: Bool = false) -> EventLoopFuture<Committed<Void>> {
        submit(on: eventLoop, Self.auditOnly(event, checkpoint: checkpoint))
    }

    private static func auditOnly(_ event: AuditEvent, checkpoint: Bool) -> WriteJob<Void>.Body {
        { tx in
            if checkpoint { tx.requestCheckpoint() }
            return (.success(()), event)
        }
    }

    private func enqueue(_ job: any AnyWriteJob) {
        condition.lock()
        guard running else {
            condition.unlock()
            job.fail(HavenError(.storeUnavailable, "the vault is shutting down"))
            return
        }
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Completes once the WAL holds nothing from before the latest erasure (true), or after
    /// `WALPurge.answerWaitMilliseconds` if a reader in an older snapshot is still open
    /// (false; it is emptied as soon as that reader ends).
    public func walEmptied(on eventLoop: any EventLoop) -> EventLoopFuture<Bool> {
        walPurge.emptied(on: eventLoop)
    }

    public var head: AuditHead {
        condition.lock()
        defer { condition.unlock() }
        return publishedHead
    }

    /// Stops taking jobs, commits what is queued, makes a final checkpoint, and returns
    /// when the writer thread has finished.
    ///
    /// The final event is queued and the queue closed in one step: a request still arriving
    /// on an open connection is refused (and so gets no data), never audited after the stop.
    public func shutdown(finalEvent: AuditEvent?) {
        condition.lock()
        if let finalEvent, running {
            pending.append(WriteJob<Void>(on: nil, body: Self.auditOnly(finalEvent, checkpoint: true), complete: { _ in }))
        }
        running = false
        condition.broadcast()
        while !stopped { condition.wait() }
        // The thread's block holds this queue: letting go of the thread breaks the cycle, so
        // the queue — and the keys it holds — go when the vault does (a sealed daemon keeps none).
        thread = nil
        condition.unlock()
    }

    // MARK: the writer thread

    /// A clean stop folds the WAL into the database and empties it; a reader still in a
    /// snapshot makes that a partial checkpoint, which is said.
    private func checkpointAtStop() {
        do {
            // Nil: another connection's checkpoint was running, so this one did not empty it either.
            if try db.walCheckpoint(.truncate)?.blocked ?? true {
                logger.notice("the WAL was not emptied at stop: a reader was still busy")
            }
        } catch {
            logger.warning("the WAL could not be checkpointed at stop", metadata: ["error": "\(error)"])
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && running {
                // A purge still pending is tried again while idle, as after every commit.
                guard walPurge.isPending else {
                    condition.wait()
                    continue
                }
                if !condition.wait(until: Date(timeIntervalSinceNow: Double(WALPurge.retryMilliseconds) / 1000)) && pending.isEmpty {
                    condition.unlock()
                    walPurge.attempt(db)
                    condition.lock()
                }
            }
            if pending.isEmpty && !running {
                condition.unlock()
                walCheckpointer?.stop()
                checkpointAtStop()
                condition.lock()
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let take = min(pending.count, configuration.maximumBatch)
            let batch = Array(pending.prefix(take))
            pending.removeFirst(take)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [any AnyWriteJob]) {
        defer { db.resetStatements() }
        let before = chain
        let now = clock.now()
        let tx = WriteTransaction(db: db, now: now)
        var seqs = [UInt64?](repeating: nil, count: batch.count)
        var checkpoint: SignedCheckpoint?
        do {
            try db.run("BEGIN IMMEDIATE")
            for (i, job) in batch.enumerated() {
                seqs[i] = try run(job, in: tx)
            }
            if tx.checkpointRequested || dueForCheckpoint(now) {
                checkpoint = try writeCheckpoint(now)
            }
            // No statement of the transaction may still be open when it commits: an open one
            // keeps the connection reading, and no checkpoint can run on it afterwards.
            db.resetStatements()
            try db.run("COMMIT")
        } catch {
            db.rollbackQuietly()
            chain = before
            ledger.discard()
            logger.error("audit commit failed; the group is refused", metadata: ["error": "\(error)", "jobs": "\(batch.count)"])
            complete(batch) { job, _ in job.fail(.auditUnavailable) }
            return
        }
        ledger.publish(logSize: chain.size)
        if tx.walPurgeRequested { walPurge.request() }
        walPurge.attempt(db)
        if let checkpoint {
            lastCheckpointSize = checkpoint.checkpoint.size
            lastCheckpointTime = checkpoint.checkpoint.time
        }
        condition.lock()
        publishedHead = AuditHead(size: chain.size, latestCheckpoint: checkpoint ?? publishedHead.latestCheckpoint)
        condition.unlock()
        let committedSeqs = seqs, signed = checkpoint
        complete(batch) { job, i in
            if let seq = committedSeqs[i] {
                job.succeed(seq: seq, time: now, checkpoint: signed)
            } else {
                job.fail(.auditUnavailable)
            }
        }
        if let checkpoint { updateAnchor(checkpoint) }
        db.resetStatements()
        walCheckpointer?.catchUp(db)
    }

    /// Writes a committed checkpoint to the anchor file. After the commit, never before: an
    /// anchor ahead of the log would refuse the next start, while a crash in between leaves
    /// an older anchor, which the log extends. After the answers, which wait only for the
    /// commit.
    private func updateAnchor(_ checkpoint: SignedCheckpoint) {
        anchorKeeper?.committed(checkpoint, on: db)
    }

    /// Completes a committed (or refused) group: one task per event loop that completes all
    /// of that loop's jobs, rather than a cross-thread wake-up for every job.
    private func complete(_ batch: [any AnyWriteJob], _ finish: @escaping @Sendable (any AnyWriteJob, Int) -> Void) {
        var byLoop = [ObjectIdentifier: (loop: any EventLoop, jobs: [(any AnyWriteJob, Int)])]()
        for (i, job) in batch.enumerated() {
            guard let loop = job.eventLoop else {
                finish(job, i)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].jobs.append((job, i))
        }
        for (_, group) in byLoop {
            let jobs = group.jobs
            group.loop.execute { for (job, i) in jobs { finish(job, i) } }
        }
    }

    /// Runs one job in its own savepoint and appends its audit entry. Returns the entry's
    /// sequence number, or nil if the entry could not be written (the job is then rolled
    /// back entirely and will fail). Throws only when the transaction itself is broken.
    private func run(_ job: any AnyWriteJob, in tx: WriteTransaction) throws -> UInt64? {
        let chainBefore = chain
        try db.run("SAVEPOINT job")
        let (event, failed) = job.apply(tx)
        var state = tx.takeState()
        if failed {
            try db.run("ROLLBACK TO job")
            state = nil
        }
        do {
            let link = ledger.link(for: event.record, writing: state?.0)
            let seq = try AuditAppender.append(event, to: &chain, at: tx.now, state: state, link: link?.link, tags: keys.entries, on: db)
            try db.run("RELEASE job")
            var written: (RecordID, Tag16)?
            if case .record(let id)? = state?.0, let tag = state?.1 { written = (id, tag) }
            ledger.stage(entry: seq, chained: link?.key, state: written)
            return seq
        } catch {
            logger.error("audit entry could not be written; the request is refused", metadata: ["error": "\(error)"])
            chain = chainBefore
            try db.run("ROLLBACK TO job")
            try db.run("RELEASE job")
            return nil
        }
    }

    private func dueForCheckpoint(_ now: Timestamp) -> Bool {
        let grown = chain.size - lastCheckpointSize
        guard grown > 0 else { return false }
        return grown >= configuration.checkpointEveryEntries
            || now.millisecondsSinceEpoch - lastCheckpointTime.millisecondsSinceEpoch >= configuration.checkpointEveryMilliseconds
    }

    private func writeCheckpoint(_ now: Timestamp) throws -> SignedCheckpoint {
        try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: now, on: db)
    }
}
