import CSodium

/// The single entry point to libsodium: initialisation once, and one checked helper for
/// every call whose failure is not an authentication failure.
public enum Sodium {
    /// `sodium_init` must run before any other call; a global `let` is initialised lazily and
    /// exactly once, thread-safely, which is what libsodium asks for.
    private static let initResult: Int32 = sodium_init()

    /// Call at process start; throws if libsodium cannot initialise (for example no entropy).
    public static func ensureInitialized() throws(CryptoError) {
        if initResult < 0 { throw CryptoError.libsodium("sodium_init") }
    }

    /// Runs a libsodium call that returns 0 on success; anything else is a hard failure.
    @inline(__always)
    static func check(_ rc: Int32, _ call: StaticString) throws(CryptoError) {
        if rc != 0 { throw CryptoError.libsodium("\(call)") }
    }

    static func ready() {
        precondition(initResult >= 0, "libsodium failed to initialise")
    }
}

/// Why a cryptographic operation failed. Every failed open or verify is the same
/// `authenticationFailure`: callers must not learn which check failed.
public enum CryptoError: Error, Sendable, Equatable {
    case authenticationFailure
    case invalidKey(String)
    case invalidFormat(String)
    case libsodium(String)
}
