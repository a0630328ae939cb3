import HavenAudit
import HavenCore
import NIOCore

/// A committed write: the job's value, the sequence number of its audit entry, and the
/// signed checkpoint made in the same transaction, if one was.
public struct Committed<T: Sendable>: Sendable {
    public let value: T
    public let auditSeq: UInt64
    /// The time the writer stamped on the group and its audit entries (the log's times
    /// never go back, so it orders commits).
    public let time: Timestamp
    public let checkpoint: SignedCheckpoint?
}

/// The writer's view of a job, without its result type.
protocol AnyWriteJob: AnyObject, Sendable {
    /// Where the job's answer is completed; nil completes it on the writer thread.
    var eventLoop: (any EventLoop)? { get }
    /// Applies the job's changes and returns the audit event describing what happened.
    /// `failed` tells the writer to roll the job's changes back before logging the event.
    func apply(_ tx: WriteTransaction) -> (event: AuditEvent, failed: Bool)
    func succeed(seq: UInt64, time: Timestamp, checkpoint: SignedCheckpoint?)
    func fail(_ error: HavenError)
}

/// One request's write: data changes (maybe none) and its audit event, answered only
/// after the transaction holding both has committed.
final class WriteJob<T: Sendable>: AnyWriteJob, @unchecked Sendable {
    /// Returns the outcome and the event to log for it, whether it succeeded or not.
    typealias Body = @Sendable (WriteTransaction) -> (Result<T, HavenError>, AuditEvent)
    typealias Completion = @Sendable (Result<Committed<T>, HavenError>) -> Void

    let eventLoop: (any EventLoop)?
    private let body: Body
    private let complete: Completion
    // Set by the writer thread in apply; read in succeed, on the event loop the writer hands
    // the job to afterwards (the hand-over orders the two).
    private var result: Result<T, HavenError>?

    init(on eventLoop: (any EventLoop)?, body: @escaping Body, complete: @escaping Completion) {
        self.eventLoop = eventLoop
        self.body = body
        self.complete = complete
    }

    func apply(_ tx: WriteTransaction) -> (event: AuditEvent, failed: Bool) {
        let (outcome, event) = body(tx)
        result = outcome
        if case .failure = outcome { return (event, true) }
        return (event, false)
    }

    func succeed(seq: UInt64, time: Timestamp, checkpoint: SignedCheckpoint?) {
        switch result {
        case .success(let value):
            complete(.success(Committed(value: value, auditSeq: seq, time: time, checkpoint: checkpoint)))
        case .failure(let error):
            complete(.failure(error))
        case nil:
            complete(.failure(.auditUnavailable))
        }
    }

    func fail(_ error: HavenError) {
        complete(.failure(error))
    }
}
