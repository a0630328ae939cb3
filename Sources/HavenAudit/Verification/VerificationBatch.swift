import HavenCrypto

/// Entries gathered for verification in bulk: copied into one buffer so their hashes can be
/// computed on every core at once (SHA-256 of the entries is most of the cost).
public struct VerificationBatch {
    var storage: [UInt8] = []
    var offsets: [Int] = [0]
    var stored: [Digest32?] = []

    public init(capacity: Int = 4096) {
        storage.reserveCapacity(capacity * 640)
        offsets.reserveCapacity(capacity + 1)
        stored.reserveCapacity(capacity)
    }

    public var count: Int { stored.count }

    public mutating func append(entry: UnsafeRawBufferPointer, storedLeafHash: UnsafeRawBufferPointer?) {
        storage.append(contentsOf: entry)
        offsets.append(storage.count)
        // A stored hash of the wrong length can never match: kept as all-zero, which no
        // SHA-256 output is in practice.
        stored.append(storedLeafHash.map { $0.count == Digest32.byteCount ? Digest32(unsafeBytes: $0) : Digest32() })
    }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        stored.removeAll(keepingCapacity: true)
    }
}
