import HavenCore
@testable import HavenCrypto
import Testing

@Suite struct SecureMemoryTests {
    /// A data key's slot is wiped the moment the key is released: the slab stays mapped, so
    /// the bytes where the key was can be read back, and they are zero.
    @Test func aPooledKeyIsWipedWhenReleased() throws {
        var address: UInt = 0
        do {
            let key = DataKey.generate()
            key.withUnsafeBytes { address = UInt(bitPattern: $0.baseAddress!) }
            let bytes = key.withUnsafeBytes { Array($0) }
            #expect(bytes.count == DataKey.byteCount && bytes.contains { $0 != 0 })
        }
        let left = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: DataKey.byteCount)
        #expect(left.allSatisfy { $0 == 0 })
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
