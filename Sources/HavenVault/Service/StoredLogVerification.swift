import Dispatch
import Glibc
import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// `haven audit verify` over the database: every entry re-hashed from its stored bytes and
/// checked against every stored checkpoint. Runs of 4,096 entries are read and hashed on
/// all cores at once, each by its own read connection; the checks then run in order.
public enum StoredLogVerification {
    public static func run(databasePath: String, vaultKey: PublicKey, vault: VaultID) throws -> VerificationReport {
        let workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let window = workers * 2
        let connections = try (0..<window).map { _ in UncheckedConnection(try Database.openReader(path: databasePath)) }
        let first = connections[0].connection
        var malformed = [UInt64]()
        var checkpoints = [SignedCheckpoint]()
        for row in try AuditTable.checkpoints(on: first) {
            if let cp = try? SignedCheckpoint(json: row.note) { checkpoints.append(cp) } else { malformed.append(row.size) }
        }
        // Every row up to the highest sequence number; rows past it cannot be part of the log.
        let end = try AuditTable.count(on: first)
        let align = UInt64(HashedChunk.defaultAlignment)
        var verifier = LogVerifier(vaultKey: vaultKey, vault: vault, checkpoints: checkpoints)
        var next: UInt64 = 0
        while next < end {
            let starts = (0..<window).map { next + UInt64($0) * align }.filter { $0 < end }
            let results = ChunkResults(count: starts.count)
            DispatchQueue.concurrentPerform(iterations: starts.count) { i in
                results.set(i, Result {
                    var chunk = HashedChunk(start: starts[i])
                    try AuditTable.forEachEntry(in: starts[i]..<min(starts[i] + align, end), on: connections[i].connection) { _, e, leaf in
                        chunk.add(entry: e, storedLeafHash: leaf)
                    }
                    connections[i].connection.resetStatements()
                    chunk.finish()
                    return chunk
                })
            }
            for r in results.all() { verifier.add(try r.get()) }
            next = starts.last! + align
        }
        var report = verifier.finish()
        for size in malformed { report.add("checkpoint at size \(size) is malformed", checkpoint: size) }
        return report
    }

    /// A connection used by one worker at a time.
    private struct UncheckedConnection: @unchecked Sendable {
        let connection: Connection
        init(_ c: Connection) { connection = c }
    }

    /// Results written by parallel workers, each to its own slot.
    private final class ChunkResults: @unchecked Sendable {
        private var slots: [Result<HashedChunk, any Error>?]
        private let lock = NSLockShim()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ r: Result<HashedChunk, any Error>) {
            lock.locked { slots[i] = r }
        }

        func all() -> [Result<HashedChunk, any Error>] {
            lock.locked { slots.map { $0! } }
        }
    }
}

/// A pthread mutex, for the few places that need one outside an actor or the writer.
final class NSLockShim: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
