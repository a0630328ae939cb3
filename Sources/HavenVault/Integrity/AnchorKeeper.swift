import HavenAudit
import HavenCore
import HavenStore
import Logging
import Synchronization

/// The anchor while the vault serves: each committed checkpoint is written to it, then the
/// mark (`AnchoredMark`) — and when a write fails, changes are refused until it succeeds.
///
/// Invariant: no change is committed while the anchor lags behind a checkpoint it could
/// not take. Why changes and not reads: a change made now (a consent withdrawn, a user
/// revoked) would be undone, unnoticed, by putting back the data directory as it was at the
/// anchor's size; a read changes nothing such a copy would bring back. Each refused change
/// is answered `anchor_unavailable` and audited like any failed request. The refusal tries
/// the write again first, so the first change after the volume is back goes through.
///
/// Why a vanished file is a failure too, never re-created: a volume unmounted under a
/// running daemon leaves an empty directory, and an anchor written there would hide the
/// real one, which the next start would then find older than the data directory's mark.
public final class AnchorKeeper: Sendable {
    public let file: AnchorFile
    private let keys: VaultKeys
    private let logger: Logger
    private let state: Mutex<State>

    /// What `haven status` says of the anchor.
    public struct Health: Sendable {
        /// The size of the checkpoint the file holds (as last written or read at start).
        public let size: UInt64?
        public let lastWrite: Timestamp?
        /// Why the last write failed, while changes are refused.
        public let failure: String?
    }

    private struct State {
        var size: UInt64?
        var lastWrite: Timestamp?
        var failure: String?
        /// The checkpoint the file should hold but does not (writer thread).
        var pending: SignedCheckpoint?
    }

    init(file: AnchorFile, keys: VaultKeys, logger: Logger, holding size: UInt64?) {
        self.file = file
        self.keys = keys
        self.logger = logger
        state = Mutex(State(size: size))
    }

    public var health: Health {
        state.withLock { Health(size: $0.size, lastWrite: $0.lastWrite, failure: $0.failure) }
    }

    /// `--create-anchor`, at start: the first anchor, or the start is refused.
    func create(_ checkpoint: SignedCheckpoint, on db: Connection) throws(HavenError) {
        guard write(checkpoint, creating: true, on: db) else {
            throw HavenError(.ioError, "refusing to start: cannot create the anchor \(file.path): \(health.failure ?? "")",
                             hint: "let the daemon's user write \(file.directory)")
        }
    }

    /// After a commit that signed `checkpoint` (writer thread).
    func committed(_ checkpoint: SignedCheckpoint, on db: Connection) {
        _ = write(checkpoint, on: db)
    }

    /// Before a change runs, in the writer's transaction: refused while the anchor lags,
    /// after one more try to bring it up to date.
    func admit(on db: Connection) throws(HavenError) {
        if let pending = state.withLock({ $0.pending }) {
            if write(pending, on: db) { return }
        } else if file.exists {
            let back = state.withLock { s in
                defer { s.failure = nil }
                return s.failure != nil
            }
            if back { logger.notice("the anchor is back; changes are accepted", metadata: ["anchor": "\(file.path)"]) }
            return
        } else {
            failed(nil, "the file is missing (its volume unmounted?)")
        }
        throw HavenError(.anchorUnavailable, "changes are refused: the anchor \(file.path) cannot be written "
                         + "(\(health.failure ?? "")), and a change it does not cover could be undone unnoticed",
                         hint: "the operator must make the anchor's directory writable again (its volume mounted); reads go on")
    }

    /// Notes a failure (said once, until the anchor is written again); `checkpoint` is what
    /// the file should then hold, if a checkpoint is waiting.
    private func failed(_ checkpoint: SignedCheckpoint?, _ reason: String) {
        let first = state.withLock { s in
            defer {
                if let checkpoint { s.pending = checkpoint }
                s.failure = reason
            }
            return s.failure == nil
        }
        if first {
            logger.critical("the anchor could not be written; changes are refused until it can be",
                            metadata: ["anchor": "\(file.path)", "error": "\(reason)"])
        }
    }

    /// Writes the anchor, then the mark; false (said, and kept for `admit`) if the anchor
    /// could not be written. A mark that cannot be written only lags, which a start accepts.
    private func write(_ checkpoint: SignedCheckpoint, creating: Bool = false, on db: Connection) -> Bool {
        do throws(HavenError) {
            guard creating || file.exists else {
                throw HavenError(.ioError, "the file is missing (its volume unmounted?)")
            }
            try file.write(checkpoint)
        } catch {
            failed(checkpoint, error.message)
            return false
        }
        // The journal beside the anchor exists from the first anchor on, and its tally
        // follows each anchored checkpoint (what a restore counts as lost). A journal found
        // cut or missing is a failure like the anchor's own: changes it would not keep wait.
        if let error = RecoveryTally.anchored(checkpoint, anchor: file, db: db, keys: keys, creating: creating) {
            failed(checkpoint, error.message)
            return false
        }
        let recovered = state.withLock { s in
            defer { s = State(size: checkpoint.checkpoint.size, lastWrite: checkpoint.checkpoint.time) }
            return s.failure != nil
        }
        if recovered { logger.notice("the anchor is written again; changes are accepted", metadata: ["anchor": "\(file.path)"]) }
        do {
            try AnchoredMark.write(size: checkpoint.checkpoint.size, keys: keys, on: db)
        } catch {
            logger.error("the anchored size could not be recorded in the data directory", metadata: ["error": "\(error)"])
        }
        return true
    }
}
