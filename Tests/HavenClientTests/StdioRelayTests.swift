import Foundation
import Glibc
import HavenClient
import HavenCore
import Synchronization
import Testing

/// `StdioRelay.run`, dial-stdio's copy loop, between real pipes (ssh's side) and a real
/// socket pair (the daemon's side): bytes pass untouched both ways, the end of the client's
/// stream reaches the daemon as a half-close while its answers still come back, and a large
/// transfer both ways at once completes through the fixed buffers.
@Suite struct StdioRelayTests {
    /// The relay's descriptors and the test's ends of them.
    final class Rig: Sendable {
        let clientWrites: Int32, relayReads: Int32      // ssh → dial-stdio (its stdin)
        let relayWrites: Int32, clientReads: Int32      // dial-stdio → ssh (its stdout)
        let relaySocket: Int32, daemon: Int32           // dial-stdio ↔ havend
        let outcome = Mutex<Result<Void, HavenError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        private let closed = Mutex<Set<Int32>>([])

        init() {
            var input: [Int32] = [0, 0], output: [Int32] = [0, 0], pair: [Int32] = [0, 0]
            precondition(pipe(&input) == 0 && pipe(&output) == 0)
            precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
            (relayReads, clientWrites) = (input[0], input[1])
            (clientReads, relayWrites) = (output[0], output[1])
            (relaySocket, daemon) = (pair[0], pair[1])
            signal(SIGPIPE, SIG_IGN)
        }

        func start() {
            Thread.detachNewThread { [self] in
                let result = Result { () throws(HavenError) in try StdioRelay.run(input: relayReads, output: relayWrites, socket: relaySocket) }
                outcome.withLock { $0 = result }
                done.signal()
            }
        }

        /// Waits for the relay to return; it returns only when the daemon's side has ended.
        func finish() -> Result<Void, HavenError> {
            done.wait()
            return outcome.withLock { $0! }
        }

        /// Closes one of the descriptors, once (a number closed twice may be another's by then).
        func close(_ fd: Int32) {
            closed.withLock { closed in
                if closed.insert(fd).inserted { _ = Glibc.close(fd) }
            }
        }

        deinit {
            for fd in [clientWrites, relayReads, relayWrites, clientReads, relaySocket, daemon] { close(fd) }
        }
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            precondition(n > 0, "write: errno \(errno)")
            offset += n
        }
    }

    /// Reads until end of file (or `count` bytes).
    static func readAll(_ fd: Int32, count: Int = .max) -> [UInt8] {
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while out.count < count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, min($0.count, count - out.count)) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    @Test func aRequestAndItsAnswerPassUntouchedAndTheEndOfInputIsAHalfClose() {
        let rig = Rig()
        rig.start()
        let request = Array("POST /v1/auth/challenge HTTP/1.1\r\nhost: haven\r\ncontent-length: 0\r\n\r\n".utf8) + [0, 0xFF, 0x0D]
        Self.writeAll(request, to: rig.clientWrites)
        rig.close(rig.clientWrites)
        // The daemon reads the request, then the end of it: the client has no more to say.
        #expect(Self.readAll(rig.daemon) == request)
        // And its answer still reaches the client after that end.
        let answer = Array("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".utf8)
        Self.writeAll(answer, to: rig.daemon)
        shutdown(rig.daemon, Int32(SHUT_WR))
        #expect(throws: Never.self) { try rig.finish().get() }
        rig.close(rig.relayWrites)
        #expect(Self.readAll(rig.clientReads) == answer)
    }

    /// Two megabytes each way at once, the daemon echoing as it reads: the fixed buffers
    /// and the non-blocking socket keep both directions moving.
    @Test func aLargeTransferBothWaysCompletes() {
        let rig = Rig()
        rig.start()
        let size = 2 << 20
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        Thread.detachNewThread { [rig] in
            // The daemon echoes everything, then closes.
            var buffer = [UInt8](repeating: 0, count: 7919)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(rig.daemon, $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                Self.writeAll(Array(buffer[0..<n]), to: rig.daemon)
            }
            shutdown(rig.daemon, Int32(SHUT_WR))
        }
        Thread.detachNewThread { [rig] in
            Self.writeAll(payload, to: rig.clientWrites)
            rig.close(rig.clientWrites)
        }
        let echoed = Self.readAll(rig.clientReads, count: size)
        #expect(echoed == payload)
        #expect(throws: Never.self) { try rig.finish().get() }
    }

    /// A daemon that hangs up on a request without a byte of answer is said so by the
    /// relay, which the client on the other side of ssh could not see.
    @Test func aDaemonThatHangsUpWithoutAnsweringIsReported() {
        let rig = Rig()
        rig.start()
        Self.writeAll(Array("GET /v1/health HTTP/1.1\r\n\r\n".utf8), to: rig.clientWrites)
        _ = Self.readAll(rig.daemon, count: 10)
        shutdown(rig.daemon, Int32(SHUT_RDWR))
        #expect(throws: HavenError(.unavailable, "havend closed the connection without answering",
                                   hint: "see havend's log on the vault's host; it may be shutting down")) {
            try rig.finish().get()
        }
    }

    /// Nothing asked, nothing answered: a clean end.
    @Test func anEmptySessionEndsCleanly() {
        let rig = Rig()
        rig.start()
        rig.close(rig.clientWrites)
        #expect(Self.readAll(rig.daemon).isEmpty)
        shutdown(rig.daemon, Int32(SHUT_WR))
        #expect(throws: Never.self) { try rig.finish().get() }
    }
}
