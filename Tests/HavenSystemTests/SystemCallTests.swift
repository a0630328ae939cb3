import Glibc
import HavenSystem
import Synchronization
import Testing

/// `systemCall` makes an interrupted call again, and turns any other failure into an error
/// that names the call, never into a result a caller could take for a count of bytes.
@Suite struct SystemCallTests {
    @Test func aCallInterruptedBySignalsIsMadeAgainUntilItAnswers() throws {
        var calls = 0
        let result = try systemCall("read") { () -> Int in
            calls += 1
            guard calls > 3 else {
                errno = EINTR
                return -1
            }
            return 42
        }
        #expect(result == 42)
        #expect(calls == 4)
    }

    @Test(arguments: [EBADF, EAGAIN, EPIPE, ENOSPC, ECHILD])
    func anyOtherFailureThrowsNamingTheCallOnce(code: Int32) {
        var calls = 0
        #expect(throws: SystemCallError(call: "write", code: code)) {
            try systemCall("write") { () -> Int in
                calls += 1
                errno = code
                return -1
            }
        }
        #expect(calls == 1)
    }

    /// Only -1 is a failure: 0 (end of file, nothing written) and other counts are results,
    /// whatever `errno` was left holding by an earlier call.
    @Test func zeroAndCountsAreResultsNotFailures() throws {
        errno = EINTR
        #expect(try systemCall("read") { 0 } == 0)
        #expect(try systemCall("waitpid") { Int32(1234) } == 1234)
    }

    /// A real call on a descriptor that is not open: EBADF, with the call's name and the
    /// text `strerror` gives for it.
    @Test func aRealFailureCarriesTheCallAndTheReason() {
        var byte: UInt8 = 0
        do {
            _ = try systemCall("read") { Glibc.read(-1, &byte, 1) }
            Issue.record("read(-1) succeeded")
        } catch {
            #expect(error == SystemCallError(call: "read", code: EBADF))
            #expect(error.reason == String(cString: strerror(EBADF)))
            #expect(error.description == "read: \(String(cString: strerror(EBADF)))")
        }
    }

    /// A real interruption: SIGUSR2, caught by a handler installed without SA_RESTART, cuts
    /// a blocking read of an empty pipe short with EINTR. Another thread signals the reading
    /// thread until the read has been made a second time, and only then writes the byte the
    /// read returns: the test cannot pass unless the interrupted read was made again.
    @Test func aReadInterruptedByARealSignalIsMadeAgain() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0
        var previous = sigaction()
        try #require(sigaction(SIGUSR2, &action, &previous) == 0)
        defer { sigaction(SIGUSR2, &previous, nil) }
        // The test runs on a thread that blocks signals (libdispatch's workers do).
        var usr2 = sigset_t()
        sigemptyset(&usr2)
        sigaddset(&usr2, SIGUSR2)
        var mask = sigset_t()
        try #require(pthread_sigmask(SIG_UNBLOCK, &usr2, &mask) == 0)
        defer { pthread_sigmask(SIG_SETMASK, &mask, nil) }

        // A thread of its own, not a task: the test's own threads may all be busy, and the
        // read below holds this one until the writer has written.
        let probe = Probe(reader: pthread_self(), writer: fds[1])
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let probe = Unmanaged<Probe>.fromOpaque(raw!).takeRetainedValue()
            // Two seconds at most: a read the signal never reached fails the test, not hangs it.
            var signalled = 0
            while probe.calls.load(ordering: .acquiring) < 2 && signalled < 400 {
                pthread_kill(probe.reader, SIGUSR2)
                usleep(5_000)
                signalled += 1
            }
            var one: UInt8 = 7
            _ = write(probe.writer, &one, 1)
            return nil
        }, Unmanaged.passRetained(probe).toOpaque())
        try #require(started == 0)
        var byte: UInt8 = 0
        let n = try systemCall("read") { () -> Int in
            probe.calls.add(1, ordering: .releasing)
            return Glibc.read(fds[0], &byte, 1)
        }
        pthread_join(thread, nil)
        #expect(n == 1)
        #expect(byte == 7)
        #expect(probe.calls.load(ordering: .acquiring) >= 2)
    }
}

/// The reading thread, the pipe's write end, and how many times the read was made.
private final class Probe: Sendable {
    let reader: pthread_t
    let writer: Int32
    let calls = Atomic<Int>(0)

    init(reader: pthread_t, writer: Int32) {
        self.reader = reader
        self.writer = writer
    }
}
