import CSodium

/// libsodium's secretstream (XChaCha20-Poly1305), for data too long for one box: a backup
/// archive. Each chunk is authenticated and ordered; the last carries the FINAL tag, so a
/// stream cut short, reordered or spliced fails to open.
public enum SecretStream {
    public static let keyBytes = Int(crypto_secretstream_xchacha20poly1305_KEYBYTES)
    public static let headerBytes = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    public static let overhead = Int(crypto_secretstream_xchacha20poly1305_ABYTES)

    /// Encrypts chunk after chunk; the stream's header (random) comes first in the output.
    public final class Pusher {
        private var state = crypto_secretstream_xchacha20poly1305_state()
        public let header: [UInt8]

        public init(key: SecureBytes) {
            Sodium.ready()
            precondition(key.count == SecretStream.keyBytes)
            var header = [UInt8](repeating: 0, count: SecretStream.headerBytes)
            var s = crypto_secretstream_xchacha20poly1305_state()
            let rc = key.withUnsafeBytes { k in
                crypto_secretstream_xchacha20poly1305_init_push(&s, &header, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            Sodium.require(rc, "crypto_secretstream_xchacha20poly1305_init_push")
            self.header = header
            state = s
            withUnsafeMutableBytes(of: &s) { sodium_memzero($0.baseAddress, $0.count) }
        }

        /// `chunk` sealed, with `ad` bound to it; `final` for the last chunk.
        public func push(_ chunk: UnsafeRawBufferPointer, ad: [UInt8] = [], final: Bool) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: chunk.count + SecretStream.overhead)
            var written: UInt64 = 0
            let tag = UInt8(final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
            let rc = crypto_secretstream_xchacha20poly1305_push(&state, &out, &written,
                                                                chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(chunk.count),
                                                                ad, UInt64(ad.count), tag)
            Sodium.require(rc, "crypto_secretstream_xchacha20poly1305_push")
            precondition(Int(written) == out.count, "secretstream push wrote a short chunk")
            return out
        }

        deinit { withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) } }
    }

    /// Decrypts chunk after chunk; refuses anything altered, out of order, or after the final chunk.
    public final class Puller {
        private var state = crypto_secretstream_xchacha20poly1305_state()
        public private(set) var finished = false

        public init(key: SecureBytes, header: [UInt8]) throws(CryptoError) {
            Sodium.ready()
            guard key.count == SecretStream.keyBytes, header.count == SecretStream.headerBytes else { throw .invalidFormat("bad stream header") }
            let rc = key.withUnsafeBytes { k in
                crypto_secretstream_xchacha20poly1305_init_pull(&state, header, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            try Sodium.check(rc, "crypto_secretstream_xchacha20poly1305_init_pull", failure: .invalidFormat("bad stream header"))
        }

        /// The plaintext of the next chunk, written to `out` (ciphertext.count − overhead bytes).
        public func pull(_ ciphertext: [UInt8], ad: [UInt8] = [], into out: UnsafeMutableRawBufferPointer) throws(CryptoError) {
            guard !finished, ciphertext.count >= SecretStream.overhead, out.count == ciphertext.count - SecretStream.overhead else {
                throw .authenticationFailure
            }
            var written: UInt64 = 0
            var tag: UInt8 = 0
            let rc = crypto_secretstream_xchacha20poly1305_pull(&state, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, &tag,
                                                                ciphertext, UInt64(ciphertext.count), ad, UInt64(ad.count))
            try Sodium.check(rc, "crypto_secretstream_xchacha20poly1305_pull", failure: .authenticationFailure)
            finished = tag == UInt8(crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        }

        deinit { withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) } }
    }
}
