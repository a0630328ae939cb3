import CSodium

/// The single entry point to libsodium: initialisation once, and the one place a return
/// code is read.
public enum Sodium {
    /// `sodium_init` must run before any other call; a global `let` is initialised lazily and
    /// exactly once, thread-safely, which is what libsodium asks for.
    private static let initResult: Int32 = sodium_init()

    /// Call at process start; throws if libsodium cannot initialise (for example no entropy).
    public static func ensureInitialized() throws(CryptoError) {
        // 1 means another caller initialised it first: success as well.
        try check(initResult == 1 ? 0 : initResult, "sodium_init")
    }

    /// Reads the return code of a libsodium call: 0 is success, anything else throws
    /// `failure` when the caller names one (a failed open or verify is `authenticationFailure`,
    /// so no caller learns which check failed) and otherwise `.libsodium` naming the call.
    /// Every return code goes through here, so none is dropped unread.
    @inline(__always)
    static func check(_ rc: Int32, _ call: StaticString, failure: CryptoError? = nil) throws(CryptoError) {
        guard rc == 0 else { throw failure ?? .libsodium("\(call)") }
    }

    /// For a call that cannot fail on the arguments Haven gives it (a hash of a length it
    /// accepts, a signature under a key it made): a failure there is a broken library, and
    /// the process stops rather than go on with an output that was never written.
    @inline(__always)
    static func require(_ rc: Int32, _ call: StaticString) {
        do { try check(rc, call) } catch { fatalError("libsodium: \(call) failed") }
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
