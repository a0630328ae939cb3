import CSodium

/// BLAKE2b-256 over input given piece by piece (libsodium `crypto_generichash` init/update/
/// final), for files too large to hold: a backup archive's signature covers all of it.
public final class BLAKE2bStream {
    /// libsodium's state is opaque to Swift and 64-byte aligned: allocated by size.
    private let state: UnsafeMutableRawPointer

    public init() {
        Sodium.ready()
        state = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        Sodium.require(crypto_generichash_init(OpaquePointer(state), nil, 0, Digest32.byteCount), "crypto_generichash_init")
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let rc = crypto_generichash_update(OpaquePointer(state), bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        Sodium.require(rc, "crypto_generichash_update")
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func finish() -> Digest32 {
        var out = [UInt8](repeating: 0, count: Digest32.byteCount)
        Sodium.require(crypto_generichash_final(OpaquePointer(state), &out, out.count), "crypto_generichash_final")
        return Digest32(out)!
    }

    deinit {
        sodium_memzero(state, crypto_generichash_statebytes())
        state.deallocate()
    }
}
