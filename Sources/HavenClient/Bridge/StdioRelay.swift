import Glibc
import HavenCore
import HavenSystem

/// The vault's end of an SSH bridge (`haven dial-stdio`): the daemon's socket joined to a
/// pair of descriptors (ssh's pipes), bytes copied both ways, never parsed.
///
/// One fixed buffer per direction, and a direction reads again only once its buffer is
/// written out: memory stays bounded whatever either side sends, and a side that stops
/// reading stops the other side's flow rather than filling this process. The socket is
/// non-blocking so that a daemon that stops reading (it waits for its answer to be read)
/// cannot block the copy the other way; poll(2) waits on whichever side each buffer needs.
public enum StdioRelay {
    public static let bufferSize = 64 * 1024

    /// Connects to the daemon's Unix socket; a failure in the words `haven` uses for it.
    public static func connect(socketPath: String) throws(HavenError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ClientConnection.connectFailure(errno: ENAMETOOLONG, socketPath: socketPath)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd: Int32
        do {
            fd = try systemCall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        } catch {
            throw ClientConnection.connectFailure(errno: error.code, socketPath: socketPath)
        }
        do {
            _ = try systemCall("connect") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
        } catch {
            close(fd)
            throw ClientConnection.connectFailure(errno: error.code, socketPath: socketPath)
        }
        return fd
    }

    /// Writes all of `bytes` to `fd` (the preamble, before the copy starts).
    public static func send(_ bytes: [UInt8], to fd: Int32) throws(HavenError) {
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try systemCall("write") { bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) } }
            } catch {
                throw HavenError(.unavailable, "the connection to havend was lost")
            }
        }
    }

    /// Copies `input` → `socket` and `socket` → `output` until the socket ends. The end of
    /// `input` is passed on as the end of what the daemon reads (shutdown SHUT_WR), and the
    /// daemon's answers are still copied until it closes: the end of a request stream is not
    /// the end of its answers. Returns when the daemon closes; throws if a side fails.
    public static func run(input: Int32, output: Int32, socket: Int32) throws(HavenError) {
        guard fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK) == 0 else {
            throw HavenError(.ioError, "cannot set up the relay: \(String(cString: strerror(errno)))")
        }
        var directions = [
            Direction(from: input, to: socket, endWrites: true),     // the client's requests
            Direction(from: socket, to: output, endWrites: false),   // the daemon's answers
        ]
        while !directions[1].ended {
            // Matched by place, not by descriptor: stdin and stdout may be one socket.
            let waiting = directions.indices.filter { directions[$0].wanted() != nil }
            var fds = waiting.map { directions[$0].wanted()! }
            do {
                _ = try systemCall("poll") { poll(&fds, nfds_t(fds.count), -1) }
            } catch {
                throw HavenError(.ioError, "the relay failed: \(error)")
            }
            for (i, fd) in zip(waiting, fds) where fd.revents != 0 {
                try directions[i].step()
            }
        }
        // Counted, not parsed: a daemon that hung up on a request without a byte of answer
        // is said so here, where the client on the other side of ssh cannot see why.
        if directions[0].copied > 0, directions[1].copied == 0 {
            throw HavenError(.unavailable, "havend closed the connection without answering",
                             hint: "see havend's log on the vault's host; it may be shutting down")
        }
    }

    /// One direction of the copy: its buffer and where it stands.
    struct Direction {
        let from: Int32
        let to: Int32
        var buffer = [UInt8](repeating: 0, count: StdioRelay.bufferSize)
        var start = 0
        var end = 0
        /// Pass the source's end on to the destination (the socket) as a half-close.
        let endWrites: Bool
        /// The source has ended, everything read from it is written, or the destination has
        /// gone (ssh, reading the daemon's answers, exited: nothing is left to do).
        var ended = false
        /// Bytes written to the destination so far.
        var copied = 0

        init(from: Int32, to: Int32, endWrites: Bool) {
            self.from = from
            self.to = to
            self.endWrites = endWrites
        }

        /// The descriptor this direction waits on now: its source while its buffer is empty,
        /// its destination while it holds bytes.
        var waitingOn: Int32? {
            if ended { return nil }
            return start < end ? to : from
        }

        func wanted() -> pollfd? {
            guard let fd = waitingOn else { return nil }
            return pollfd(fd: fd, events: Int16(start < end ? POLLOUT : POLLIN), revents: 0)
        }

        /// Reads into the empty buffer or writes out what it holds.
        mutating func step() throws(HavenError) {
            if start < end {
                let n: Int
                do {
                    n = try systemCall("write") { buffer.withUnsafeBytes { write(to, $0.baseAddress! + start, end - start) } }
                } catch {
                    if error.code == EAGAIN || error.code == EWOULDBLOCK { return }
                    // The reader has gone. ssh (reading answers): nothing is left to do. The
                    // daemon (reading requests): its last answer may still be unread, so
                    // the other direction goes on to the socket's end.
                    if error.code == EPIPE || (endWrites && error.code == ECONNRESET) { ended = true; return }
                    throw failure(error)
                }
                start += n
                copied += n
                if start == end { start = 0; end = 0 }
            } else {
                let n: Int
                do {
                    n = try systemCall("read") { buffer.withUnsafeMutableBytes { read(from, $0.baseAddress!, $0.count) } }
                } catch {
                    if error.code == EAGAIN || error.code == EWOULDBLOCK { return }
                    throw failure(error)
                }
                guard n > 0 else {
                    if endWrites { _ = shutdown(to, Int32(SHUT_WR)) }
                    ended = true
                    return
                }
                end = n
            }
        }

        private func failure(_ error: SystemCallError) -> HavenError {
            if error.code == ECONNRESET || error.code == EPIPE {
                return HavenError(.unavailable, "the connection to havend was lost")
            }
            return HavenError(.ioError, "the relay failed: \(error)")
        }
    }
}
