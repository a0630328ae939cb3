import CSodium

/// SHA-256 (FIPS 180-4), the hash of Haven's documents: policy files, consent evidence, key ids, extract codes.
public struct SHA256: Sendable {
    public static let byteCount = 32
    private var state = crypto_hash_sha256_state()

    public init() {
        Sodium.ready()
        Sodium.require(crypto_hash_sha256_init(&state), "crypto_hash_sha256_init")
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let rc = crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        Sodium.require(rc, "crypto_hash_sha256_update")
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update($0) }
    }

    public mutating func update(byte: UInt8) {
        var b = byte
        Sodium.require(crypto_hash_sha256_update(&state, &b, 1), "crypto_hash_sha256_update")
    }

    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        Sodium.require(crypto_hash_sha256_final(&state, &out), "crypto_hash_sha256_final")
        return out
    }

    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }
}

