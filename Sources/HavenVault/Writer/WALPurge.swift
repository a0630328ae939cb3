import Foundation
import HavenStore
import Logging
import NIOCore
import Synchronization

/// Empties the WAL after an erasure without ever making the writer wait for a reader.
///
/// Invariant: once no read transaction that began before an erasure is still open, the
/// WAL that held the record's pages as they were is emptied (a TRUNCATE checkpoint: every
/// page copied into the database file, where `secure_delete` already zeroed what was freed,
/// and the WAL cut to nothing).
///
/// Why not wait for the readers: a TRUNCATE checkpoint that may wait takes the write lock
/// and then waits, in SQLite's busy handler, for every reader still in an older snapshot.
/// On the writer's thread that held every change and every audited answer behind one long
/// read (a backup's snapshot, a scan): 14.3 s once. So each attempt here may not wait at
/// all (`busy_timeout` 0 for its length): it copies what it can and says whether a reader
/// kept the WAL. The writer makes one after the erasure's commit — in the usual case, with
/// no reader in an older snapshot, the WAL is empty before the answer — and then after
/// every later commit and every `retryMilliseconds` while idle, until one succeeds.
/// The erasure's answer waits for that (`emptied`), at most `answerWaitMilliseconds`.
final class WALPurge: Sendable {
    /// How often an idle writer tries again while a purge is pending.
    static let retryMilliseconds = 20
    /// How long an erasure's answer waits for its purge before it is sent anyway (the purge
    /// goes on, and happens as soon as the last older reader ends).
    static let answerWaitMilliseconds: Int64 = 2_000

    private struct State {
        var pending = false
        var since: Date?
        var warned = false
        var waiters: [@Sendable (Bool) -> Void] = []
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// A purge is wanted (writer thread, after the commit of an erasure).
    func request() {
        state.withLock { s in
            if !s.pending { s.since = Date() }
            s.pending = true
        }
    }

    var isPending: Bool { state.withLock { $0.pending } }

    /// One attempt on the writer's connection, between two groups, that never waits for a
    /// reader (writer thread only). Whether the WAL is now empty.
    @discardableResult
    func attempt(_ db: Connection) -> Bool {
        guard isPending else { return true }
        db.resetStatements()  // a statement left open on this connection would hold the checkpoint back
        var emptied = false
        do {
            try db.execute("PRAGMA busy_timeout = 0")
            defer { try? db.execute("PRAGMA busy_timeout = 2000") }  // as Database.pragmas sets it
            // Nil: another connection's checkpoint was running; tried again like a busy reader.
            if let done = try db.walCheckpoint(.truncate), !done.blocked { emptied = true }
        } catch {
            logger.error("the WAL could not be emptied after an erasure; tried again", metadata: ["error": "\(error)"])
        }
        db.resetStatements()
        let waiters: [@Sendable (Bool) -> Void] = state.withLock { s in
            guard emptied else {
                if !s.warned, let since = s.since, Date().timeIntervalSince(since) * 1000 > Double(Self.answerWaitMilliseconds) {
                    s.warned = true
                    logger.warning("the WAL still holds pages from before an erasure: a reader (a backup?) keeps an older snapshot; it is emptied as soon as that reader ends")
                }
                return []
            }
            if s.warned { logger.notice("the WAL held since an erasure is now emptied") }
            defer { s = State() }
            return s.waiters
        }
        for w in waiters { w(true) }
        return emptied
    }

    /// Completes once no purge is pending (true), or after `answerWaitMilliseconds` (false):
    /// what an erasure's answer waits for.
    func emptied(on loop: any EventLoop) -> EventLoopFuture<Bool> {
        let promise = loop.makePromise(of: Bool.self)
        let once = Mutex(false)
        // Whichever comes first, the purge or the bound, completes the promise; the other does nothing.
        let finish: @Sendable (Bool) -> Void = { emptied in
            let first = once.withLock { done in
                defer { done = true }
                return !done
            }
            if first { promise.succeed(emptied) }
        }
        let waiting = state.withLock { s in
            if s.pending { s.waiters.append(finish) }
            return s.pending
        }
        if waiting {
            loop.scheduleTask(in: .milliseconds(Self.answerWaitMilliseconds)) { finish(false) }
        } else {
            finish(true)
        }
        return promise.futureResult
    }
}
