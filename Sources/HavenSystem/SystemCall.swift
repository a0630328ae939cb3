import Glibc

/// Runs a system call that returns -1 and sets `errno` when it fails, and returns its result.
/// A call a signal interrupted (EINTR) is made again; any other failure throws, naming the call.
///
/// The one place Haven retries EINTR, as swift-nio's `syscall` is for NIO: a retry loop
/// written out at each call site is one the next call site forgets, and a signal (SIGCHLD
/// from a child, SIGTERM at shutdown) then fails a read that only had to be made again.
/// Nothing else is retried: a short read or write is the caller's to continue, and EAGAIN
/// on a non-blocking descriptor is the caller's to wait out.
@inline(__always)
public func systemCall<Result: FixedWidthInteger & SignedInteger>(
    _ call: StaticString, _ body: () -> Result
) throws(SystemCallError) -> Result {
    while true {
        let result = body()
        guard result == -1 else { return result }
        let code = errno
        guard code == EINTR else { throw SystemCallError(call: "\(call)", code: code) }
    }
}

/// A system call that failed for a reason other than a signal: which call, and its `errno`.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call as its manual page names it: "read", "waitpid".
    public let call: String
    /// `errno` as the call left it.
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// What `strerror` says of the code ("No space left on device"), the text Haven's
    /// messages have always carried.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(call): \(reason)" }
}
