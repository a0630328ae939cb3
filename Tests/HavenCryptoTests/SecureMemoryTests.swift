import HavenCore
@testable import HavenCrypto
import Testing

@Suite struct SecureMemoryTests {
    /// A slot is wiped the moment it is given back: the slab stays mapped, so the bytes
    /// where the key was can be read back, and they are zero. (A pool of its own: the shared
    /// one may hand the slot to another test at once.)
    @Test func aSlotIsWipedWhenGivenBack() throws {
        let pool = SecureSlotPool(slotSize: 64, slotsPerSlab: 4)
        let slot = try #require(pool.take())
        randombytes(into: slot, count: 64)
        #expect(UnsafeRawBufferPointer(start: slot, count: 64).contains { $0 != 0 })
        pool.give(slot)
        #expect(UnsafeRawBufferPointer(start: slot, count: 64).allSatisfy { $0 == 0 })
        #expect(pool.take() == slot)  // and it is the next one handed out, already clean
    }

    /// An encoder's output taken into a plaintext buffer is zeroed where it lay, with no
    /// copy made on the way (the array was the only reference to its storage).
    @Test func anArrayTakenIntoAPlaintextBufferIsZeroedWhereItLies() {
        let text = "{\"survivor_name\":\"Nguyễn Thị Hà\"}"
        var encoded = Array(text.utf8)
        let expected = Array(text.utf8)  // storage of its own: `encoded` must be the only reference to its own
        let address = encoded.withUnsafeBytes { $0.baseAddress }
        let buffer = PlaintextBuffer(taking: &encoded)
        #expect(buffer.withUnsafeBytes { Array($0) } == expected)
        #expect(encoded.count == expected.count && encoded.allSatisfy { $0 == 0 })
        #expect(encoded.withUnsafeBytes { $0.baseAddress } == address, "zeroed in place, not in a copy")
        var empty = [UInt8]()
        #expect(PlaintextBuffer(taking: &empty).count == 0)
    }

    func randombytes(into p: UnsafeMutableRawPointer, count: Int) {
        let bytes = Random.bytes(count)
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: count) }
    }

    /// Keys in use at once never share a slot, and the pool grows only with the peak number
    /// of live keys, not with the number ever made.
    @Test func liveKeysNeverShareASlotAndThePoolStaysBounded() async {
        let pool = SecureSlotPool.shared
        let before = pool.slabCount
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<5_000 {
                        let keys = (0..<16).map { _ in DataKey.generate() }
                        let distinct = Set(keys.map { k in k.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!) } })
                        guard distinct.count == keys.count else { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
        // 8 tasks × 16 live keys fit in one slab of 1024 slots (plus any slab already made).
        #expect(pool.slabCount <= before + 1)
    }

    /// A wrapped key unwraps into the pool and still opens what it sealed.
    @Test func anUnwrappedDataKeyWorks() throws {
        let vault = VaultID(bytes: Random.bytes(16))
        let record = RecordID(bytes: Random.bytes(16))
        let wrapper = DataKeyWrapper(vault: vault, rootKey: RootKey.generate())
        let key = DataKey.generate()
        let wrapped = wrapper.wrap(key, record: record, dataKeyVersion: 1)
        let unwrapped = try wrapper.unwrap(wrapped, record: record, dataKeyVersion: 1)
        #expect(unwrapped.constantTimeEquals(key))
    }
}
