import CSodium

/// BLAKE2b (RFC 7693) through libsodium's `crypto_generichash`, unkeyed.
///
/// The audit log's Merkle tree uses BLAKE2b-256 rather than RFC 6962's SHA-256: libsodium's
/// BLAKE2b runs at about three times the speed of its portable SHA-256 on these machines,
/// and verifying a log of millions of entries is hashing-bound (HavenAudit FORMAT.md).
public enum BLAKE2b {
    /// BLAKE2b with a 32-byte output of `input`.
    public static func digest256(_ input: UnsafeRawBufferPointer) -> Digest32 {
        Sodium.ready()
        var out = Digest32()
        out.withUnsafeMutableBytes { o in
            let rc = crypto_generichash(o.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                                        input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count), nil, 0)
            Sodium.require(rc, "crypto_generichash")
        }
        return out
    }

    /// BLAKE2b with an `outputBytes`-byte output (16 to 64), for known-answer tests.
    public static func hash(_ input: [UInt8], outputBytes: Int) -> [UInt8] {
        Sodium.ready()
        precondition((16...64).contains(outputBytes))
        var out = [UInt8](repeating: 0, count: outputBytes)
        input.withUnsafeBufferPointer { i in
            Sodium.require(crypto_generichash(&out, outputBytes, i.baseAddress, UInt64(i.count), nil, 0), "crypto_generichash")
        }
        return out
    }
}
