import CSodium

/// Key material in memory that libsodium guards, wiped on release and safe to share between
/// threads. Long-lived keys get their own `sodium_malloc` region — between guard pages,
/// locked so it never reaches swap, write-protected once filled so a stray write faults.
/// Short-lived keys (`pooled`, a record's data key) come instead from `SecureSlotPool`:
/// locked slabs guarded at their edges, wiped on release, but not write-protected and
/// without guard pages between neighbouring keys — the price of no system calls per key.
public final class SecureBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    public let count: Int
    private let pooled: Bool

    /// Allocates `count` guarded bytes and lets `fill` write them exactly once.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        Sodium.ready()
        precondition(count > 0)
        guard let p = sodium_malloc(count) else { throw CryptoError.libsodium("sodium_malloc") }
        do {
            try fill(UnsafeMutableRawBufferPointer(start: p, count: count))
            try Sodium.check(sodium_mprotect_readonly(p), "sodium_mprotect_readonly")
        } catch {
            sodium_free(p)
            throw error
        }
        pointer = p
        self.count = count
        pooled = false
    }

    /// A short-lived secret of at most 64 bytes (a record's data key) from the slot pool.
    public init(pooledCount count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        Sodium.ready()
        precondition(count > 0 && count <= SecureSlotPool.shared.slotSize)
        guard let p = SecureSlotPool.shared.take() else { throw CryptoError.libsodium("sodium_malloc") }
        do {
            try fill(UnsafeMutableRawBufferPointer(start: p, count: count))
        } catch {
            SecureSlotPool.shared.give(p)
            throw error
        }
        pointer = p
        self.count = count
        pooled = true
    }

    /// Fresh random key material.
    public static func random(count: Int) -> SecureBytes {
        // Cannot fail: randombytes_buf does not report errors and the fill does not throw.
        try! SecureBytes(count: count) { randombytes_buf($0.baseAddress!, count) }
    }

    /// Fresh random short-lived key material, from the slot pool.
    public static func randomPooled(count: Int) -> SecureBytes {
        try! SecureBytes(pooledCount: count) { randombytes_buf($0.baseAddress!, count) }
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Compares in constant time, so timing does not reveal where two keys differ.
    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        guard count == other.count else { return false }
        return other.withUnsafeBytes { o in sodium_memcmp(pointer, o.baseAddress!, count) == 0 }
    }

    deinit {
        if pooled {
            SecureSlotPool.shared.give(pointer)  // wipes the slot
            return
        }
        // sodium_free zeroes the region before unmapping it; it needs write access back first.
        Sodium.require(sodium_mprotect_readwrite(pointer), "sodium_mprotect_readwrite")
        sodium_free(pointer)
    }
}
