import CSodium
import HavenCore

/// A key for authentication tags: keyed BLAKE2b (libsodium `crypto_generichash` with a key,
/// RFC 7693's keyed mode) with a 16-byte output, derived from the root key for one purpose.
///
/// Why keyed BLAKE2b: it is libsodium's high-level MAC-capable hash, a PRF under a secret
/// key, and already the log's hash. Why 16 bytes: a forger must guess 128 bits of a PRF
/// output under a key they do not hold; a million records keep a million tags in memory,
/// so the smaller width is worth having. The message is always a domain string and
/// length-prefixed parts (`AssociatedData`), so no two kinds of row share a message.
public final class TagKey: Sendable {
    private let key: SecureBytes

    public init(rootKey: RootKey, purpose: KeyPurpose) {
        key = rootKey.derive(purpose, version: 1)
    }

    /// The tag of one message.
    public func tag(_ message: AssociatedData) -> Tag16 {
        Sodium.ready()
        var out = Tag16()
        out.withUnsafeMutableBytes { o in
            key.withUnsafeBytes { k in
                message.bytes.withUnsafeBufferPointer { m in
                    let rc = crypto_generichash(o.baseAddress!.assumingMemoryBound(to: UInt8.self), Tag16.byteCount, m.baseAddress,
                                                UInt64(m.count), k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count)
                    Sodium.require(rc, "crypto_generichash")
                }
            }
        }
        return out
    }

    /// A tag over a message too long to hold at once (the state of every row of a vault),
    /// absorbed in parts. Each part is framed by the caller's encoding, not by the accumulator.
    public final class Accumulator {
        // libsodium's state is 64-byte aligned and opaque to Swift: held in memory of its own.
        private let state: UnsafeMutableRawPointer
        private let size = crypto_generichash_statebytes()

        public init(_ key: TagKey) {
            Sodium.ready()
            state = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            let rc = key.key.withUnsafeBytes { k in
                crypto_generichash_init(OpaquePointer(state), k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count,
                                        Tag16.byteCount)
            }
            Sodium.require(rc, "crypto_generichash_init")
        }

        deinit {
            sodium_memzero(state, size)
            state.deallocate()
        }

        public func absorb(_ part: AssociatedData) {
            part.bytes.withUnsafeBufferPointer { b in
                Sodium.require(crypto_generichash_update(OpaquePointer(state), b.baseAddress, UInt64(b.count)), "crypto_generichash_update")
            }
        }

        /// The tag; the accumulator is spent afterwards.
        public func finish() -> Tag16 {
            var out = Tag16()
            out.withUnsafeMutableBytes { o in
                let rc = crypto_generichash_final(OpaquePointer(state), o.baseAddress!.assumingMemoryBound(to: UInt8.self), Tag16.byteCount)
                Sodium.require(rc, "crypto_generichash_final")
            }
            return out
        }
    }
}
