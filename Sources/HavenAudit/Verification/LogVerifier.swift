import Dispatch
import HavenCore
import HavenCrypto

/// Recomputes an audit log from its entry bytes and checks it against signed checkpoints,
/// in order, in constant memory (a million entries need a few kilobytes).
///
/// Checks, and what each catches:
/// - every checkpoint's signature verifies with the vault key and names this vault
///   (a forged, replaced or foreign checkpoint);
/// - entry k carries seq k (an entry removed, duplicated or moved);
/// - an entry's bytes hash to its stored leaf hash, when one is given (an edited entry);
/// - entry k links to the hash of entry k-1 (an edited entry, named exactly even if its
///   stored hash was edited too);
/// - the recomputed root at each checkpoint's size equals the signed root (anything the
///   other checks could not see: a consistently rewritten history);
/// - no checkpoint is larger than the log (a truncated tail).
public struct LogVerifier {
    private let vaultKey: PublicKey
    private let vault: VaultID?
    private var pending: [SignedCheckpoint]
    private var frontier: MerkleFrontier
    private var lastLeaf: Digest32?
    private var lastGoodSize: UInt64
    /// The earliest entry an entry-level check has already named exactly.
    private var earliestNamed: UInt64?
    /// The checkpoints whose signatures verified, by size.
    public private(set) var acceptedCheckpoints: [SignedCheckpoint] = []
    /// Sizes at which the caller wants the recomputed root (an anchor's size), ascending.
    private var wantedRoots: [UInt64] = []
    /// The recomputed root at each wanted size the log reached.
    public private(set) var rootsAt: [UInt64: [UInt8]] = [:]
    public private(set) var report = VerificationReport()

    /// - Parameters:
    ///   - start: the sequence number of the first entry to be added (an export may begin later).
    ///   - prefix: the tree of the entries before `start` (empty when `start` is 0).
    ///   - previousLeaf: the leaf hash of entry `start - 1`, when known.
    public init(vaultKey: PublicKey, vault: VaultID?, checkpoints: [SignedCheckpoint], start: UInt64 = 0,
                prefix: MerkleFrontier = MerkleFrontier(), previousLeaf: [UInt8]? = nil) {
        self.vaultKey = vaultKey
        self.vault = vault
        self.frontier = prefix
        self.lastGoodSize = start
        self.lastLeaf = start == 0 ? Digest32() : previousLeaf.flatMap { Digest32($0) }
        precondition(prefix.size == start, "the prefix must cover exactly the entries before start")
        var good = [SignedCheckpoint]()
        for cp in checkpoints.sorted(by: { $0.checkpoint.size < $1.checkpoint.size }) {
            do {
                try cp.verify(with: vaultKey, vault: vault)
                good.append(cp)
            } catch {
                report.add(error.message, checkpoint: cp.checkpoint.size)
            }
        }
        report.checkpoints = good.count
        acceptedCheckpoints = good
        pending = good.filter { $0.checkpoint.size > start }
    }

    /// Asks for the recomputed root at `sizes` (read back from `rootsAt` after the log is added).
    public mutating func recordRoots(at sizes: [UInt64]) {
        wantedRoots = sizes.filter { $0 > frontier.size }.sorted()
        for size in sizes where size == frontier.size { rootsAt[size] = frontier.root() }
    }

    /// Adds the next entry. `storedLeafHash` is the hash the store keeps beside it, if any.
    public mutating func add(entry: UnsafeRawBufferPointer, storedLeafHash: UnsafeRawBufferPointer? = nil) {
        let leaf = MerkleHash.leafDigest(entry)
        let storedOK = storedLeafHash.map { $0.count == Digest32.byteCount && Digest32(unsafeBytes: $0) == leaf }
        check(head: EntryHead(entry), leaf: leaf, storedOK: storedOK)
    }

    public mutating func add(entry: [UInt8], storedLeafHash: [UInt8]? = nil) {
        entry.withUnsafeBytes { e in
            if let stored = storedLeafHash {
                stored.withUnsafeBytes { add(entry: e, storedLeafHash: $0) }
            } else {
                add(entry: e, storedLeafHash: nil)
            }
        }
    }

    /// Adds a batch of consecutive entries: cut into aligned chunks, hashed on every core,
    /// then checked in order.
    public mutating func add(_ batch: VerificationBatch) {
        guard batch.count > 0 else { return }
        // Chunk boundaries fall on multiples of the alignment in the log's numbering.
        let align = HashedChunk.defaultAlignment
        var bounds = [0]
        var position = Int(frontier.size)
        while bounds.last! < batch.count {
            let toBoundary = align - position % align
            let next = min(bounds.last! + toBoundary, batch.count)
            position += next - bounds.last!
            bounds.append(next)
        }
        let starts = bounds.dropLast().map { frontier.size + UInt64($0) }
        var chunks = [HashedChunk?](repeating: nil, count: bounds.count - 1)
        chunks.withUnsafeMutableBufferPointer { out in
            batch.storage.withUnsafeBytes { storage in
                batch.offsets.withUnsafeBufferPointer { offsets in
                    let work = ChunkWork(storage: storage, offsets: offsets, bounds: bounds, starts: starts, stored: batch.stored,
                                         out: out)
                    DispatchQueue.concurrentPerform(iterations: out.count) { work.hash(chunk: $0) }
                }
            }
        }
        for chunk in chunks { add(chunk!) }
    }

    /// Absorbs a chunk hashed elsewhere (see `HashedChunk`). Chunks must come in order.
    public mutating func add(_ chunk: HashedChunk) {
        let n = chunk.count
        guard n > 0 else { return }
        let aligned = frontier.size == chunk.start && chunk.start % UInt64(chunk.alignment) == 0
        guard aligned else {
            // The log lost or gained entries before this chunk: go leaf by leaf.
            for i in 0..<n { check(head: chunk.heads[i], leaf: chunk.levels[0][i], storedOK: chunk.storedOK[i]) }
            return
        }
        for i in 0..<n {
            checkEntry(position: chunk.start + UInt64(i), head: chunk.heads[i], leaf: chunk.levels[0][i],
                       storedOK: chunk.storedOK[i])
            let size = chunk.start + UInt64(i) + 1
            while let wanted = wantedRoots.first, wanted <= size {
                wantedRoots.removeFirst()
                rootsAt[wanted] = frontier.rootDigest(followedBy: chunk.pieces(upTo: i + 1).map(\.hash))?.bytes ?? MerkleHash.emptyRoot
            }
            while let cp = pending.first, cp.checkpoint.size <= size {
                pending.removeFirst()
                let root = frontier.rootDigest(followedBy: chunk.pieces(upTo: i + 1).map(\.hash))
                checkRoot(against: cp, root: root?.bytes ?? MerkleHash.emptyRoot)
            }
        }
        for piece in chunk.pieces(upTo: n) { frontier.append(subtree: piece.hash, height: piece.height) }
        report.entries += UInt64(n)
    }

    private mutating func check(head: EntryHead?, leaf: Digest32, storedOK: Bool?) {
        checkEntry(position: frontier.size, head: head, leaf: leaf, storedOK: storedOK)
        frontier.append(leaf: leaf)
        report.entries += 1
        while let wanted = wantedRoots.first, wanted <= frontier.size {
            wantedRoots.removeFirst()
            rootsAt[wanted] = frontier.root()
        }
        while let cp = pending.first, cp.checkpoint.size <= frontier.size {
            pending.removeFirst()
            checkRoot(against: cp, root: frontier.root())
        }
    }

    /// The checks of one entry that need no tree: its place, its link, its stored hash.
    private mutating func checkEntry(position expected: UInt64, head: EntryHead?, leaf: Digest32, storedOK: Bool?) {
        let problemsBefore = report.problems.count
        if let head {
            if head.seq != expected {
                report.add("seq \(expected): found entry \(head.seq) in its place (an entry was removed, duplicated or reordered)",
                           seq: expected)
            } else if let last = lastLeaf, head.previousLeafHash != last {
                let previous = expected == 0 ? 0 : expected - 1
                report.add("seq \(previous): altered, removed or reordered (the link from entry \(expected) does not match it)",
                           seq: previous)
            }
        } else {
            report.add("seq \(expected): not a well-formed audit entry", seq: expected)
        }
        if storedOK == false {
            report.add("seq \(expected): altered (its bytes no longer match the hash stored with it)", seq: expected)
        }
        if report.problems.count > problemsBefore, earliestNamed == nil { earliestNamed = report.firstBadSeq }
        lastLeaf = leaf
    }

    private mutating func checkRoot(against cp: SignedCheckpoint, root: [UInt8]) {
        if root == cp.checkpoint.root {
            lastGoodSize = cp.checkpoint.size
            report.verifiedSize = lastGoodSize
            return
        }
        // When an entry check already named the altered entry in this range, that exact name
        // stands; otherwise the range's start is the earliest entry that may be bad.
        let named = earliestNamed.map { $0 >= lastGoodSize && $0 < cp.checkpoint.size } ?? false
        report.add("checkpoint at size \(cp.checkpoint.size) (\(cp.checkpoint.time.rfc3339)): the entries do not hash to its "
                   + "signed root; an entry in seq \(lastGoodSize)..\(cp.checkpoint.size - 1) was altered",
                   checkpoint: cp.checkpoint.size, firstBad: named ? earliestNamed : lastGoodSize)
    }

    /// Ends the log; a checkpoint larger than the log means its tail was cut off.
    public mutating func finish() -> VerificationReport {
        for cp in pending {
            report.add("log truncated: checkpoint at size \(cp.checkpoint.size) (\(cp.checkpoint.time.rfc3339)) covers entries "
                       + "up to seq \(cp.checkpoint.size - 1), but the log ends after seq \(Int64(frontier.size) - 1)",
                       checkpoint: cp.checkpoint.size, firstBad: frontier.size)
        }
        pending.removeAll()
        report.unsignedTail = frontier.size - max(report.verifiedSize, lastGoodSize)
        return report
    }

    /// The root of everything added so far.
    public var root: [UInt8] { frontier.root() }
    /// The tree of everything added so far, from which the log can be extended.
    public var tree: MerkleFrontier { frontier }
    /// The leaf hash of the last entry added.
    public var lastLeafHash: [UInt8]? { lastLeaf?.bytes }
    public var size: UInt64 { frontier.size }
}

/// The per-worker part of a batch: hash one chunk of it. Unchecked-Sendable because each
/// worker writes only its own element of the output.
private struct ChunkWork: @unchecked Sendable {
    let storage: UnsafeRawBufferPointer
    let offsets: UnsafeBufferPointer<Int>
    let bounds: [Int]
    let starts: [UInt64]
    let stored: [Digest32?]
    let out: UnsafeMutableBufferPointer<HashedChunk?>

    func hash(chunk c: Int) {
        var chunk = HashedChunk(start: starts[c])
        for i in bounds[c]..<bounds[c + 1] {
            let entry = UnsafeRawBufferPointer(rebasing: storage[offsets[i]..<offsets[i + 1]])
            if let s = stored[i] {
                s.withUnsafeBytes { chunk.add(entry: entry, storedLeafHash: $0) }
            } else {
                chunk.add(entry: entry, storedLeafHash: nil)
            }
        }
        chunk.finish()
        out[c] = chunk
    }
}
