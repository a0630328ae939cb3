import CSodium
import Synchronization

/// Locked, guarded memory for short-lived small secrets — a record's data key lives for one
/// request — without the system calls of a `sodium_malloc` per key.
///
/// `sodium_malloc` maps guard pages, locks and protects every allocation: four or more
/// system calls, and a `munmap` that makes the kernel interrupt every other core to flush
/// its TLB. At thousands of reads a second that cost more than the reads. Here each slab
/// comes from `sodium_malloc` once (locked against swap, between guard pages) and is cut
/// into fixed slots; a slot is wiped with `sodium_memzero` when it is given back, before
/// anyone can take it again. Slabs are kept for the life of the process, so the pool's
/// size is bounded by the most keys ever open at once.
final class SecureSlotPool: Sendable {
    static let shared = SecureSlotPool(slotSize: 64, slotsPerSlab: 1024)

    let slotSize: Int
    let slotsPerSlab: Int

    private struct State {
        /// Addresses of free slots (integers: raw pointers are not Sendable).
        var free: [UInt] = []
        var slabs = 0
    }

    private let state = Mutex(State())

    init(slotSize: Int, slotsPerSlab: Int) {
        self.slotSize = slotSize
        self.slotsPerSlab = slotsPerSlab
    }

    /// A zeroed slot of `slotSize` bytes; nil only if the system is out of memory.
    func take() -> UnsafeMutableRawPointer? {
        let address = state.withLock { s -> UInt? in
            if let slot = s.free.popLast() { return slot }
            // sodium_malloc before sodium_init aborts the process (libsodium's misuse
            // handler): a pool used before anything else touched libsodium must init it.
            Sodium.ready()
            guard let slab = sodium_malloc(slotSize * slotsPerSlab) else { return nil }
            sodium_memzero(slab, slotSize * slotsPerSlab)
            s.slabs += 1
            s.free.reserveCapacity(s.slabs * slotsPerSlab)
            let base = UInt(bitPattern: slab)
            for i in (1..<slotsPerSlab).reversed() { s.free.append(base + UInt(i * slotSize)) }
            return base
        }
        return address.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }

    /// Wipes the slot and makes it available again.
    func give(_ slot: UnsafeMutableRawPointer) {
        sodium_memzero(slot, slotSize)
        let address = UInt(bitPattern: slot)
        state.withLock { $0.free.append(address) }
    }

    /// Slabs allocated so far (for tests: bounded by the peak number of live keys).
    var slabCount: Int { state.withLock { $0.slabs } }
}
