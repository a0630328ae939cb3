import CHavenSystem
import Glibc
import HavenSystem

/// Reads a passphrase for sealing or unsealing a vault: from a file (for scripts), or from
/// the terminal with echo off. The caller wipes the bytes once they are in guarded memory.
public enum PassphraseInput {
    /// What went wrong, said in one line.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The file's first line, without its line ending. The file must be the caller's and
    /// closed to group and others, as a key file is: a passphrase others can read is spent.
    public static func read(file path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw Failure(description: "\(path) is not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw Failure(description: "\(path) is accessible by group or others (mode \(String(st.st_mode & 0o777, radix: 8))); run 'chmod 600 \(path)'")
        }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let n = try? systemCall("read") { bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) } }
            guard let n, n > 0 else { break }
            count += n
        }
        defer { wipe(&bytes) }
        let end = bytes[..<count].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? count
        guard end > 0 else { throw Failure(description: "\(path) holds no passphrase on its first line") }
        guard end < bytes.count else { throw Failure(description: "\(path): the passphrase is longer than \(bytes.count - 1) bytes") }
        return Array(bytes[..<end])
    }


    /// Asks on the terminal with echo off; `confirm` asks twice and refuses a mismatch.
    public static func prompt(_ question: String, confirm: Bool, minimumLength: Int = 0) throws(Failure) -> [UInt8] {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else {
            throw Failure(description: "no terminal to ask for the passphrase on; give --passphrase-file FILE")
        }
        defer { close(tty) }
        var first = try ask(question, tty: tty)
        guard first.count >= minimumLength else {
            wipe(&first)
            throw Failure(description: "the passphrase must be at least \(minimumLength) bytes")
        }
        guard confirm else { return first }
        var second = try ask("Again, to confirm: ", tty: tty)
        defer { wipe(&second) }
        guard first == second else {
            wipe(&first)
            throw Failure(description: "the two passphrases differ; nothing was written")
        }
        return first
    }

    /// Echo is off only while the line is read, and comes back on every way out: a return,
    /// an error, or Ctrl-C, SIGTERM or a hang-up, which end the process as they would
    /// anywhere else (the shell reports 130, 143 or 129) once the terminal is put back.
    private static func ask(_ question: String, tty: Int32) throws(Failure) -> [UInt8] {
        _ = question.withCString { write(tty, $0, strlen($0)) }
        var saved = termios()
        let isTerminal = tcgetattr(tty, &saved) == 0
        if isTerminal {
            _ = haven_terminal_guard_begin(tty, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(tty, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(tty, TCSAFLUSH, &saved)
                haven_terminal_guard_end()
            }
            _ = write(tty, "\n", 1)
        }
        // Room for the longest passphrase from the start: growing would leave copies behind.
        var line = [UInt8]()
        line.reserveCapacity(4096)
        var byte: UInt8 = 0
        while true {
            let n = try? systemCall("read") { Glibc.read(tty, &byte, 1) }
            guard let n, n > 0 else {
                // End of file or EIO: the terminal went away (or Ctrl-D) before the line was
                // ended. What was typed is not a passphrase anyone confirmed.
                guard line.isEmpty else {
                    wipe(&line)
                    throw Failure(description: "the terminal closed before the passphrase was ended; nothing was written")
                }
                break
            }
            guard byte != 0x0A, byte != 0x0D else { break }
            line.append(byte)
            guard line.count < 4096 else { wipe(&line); throw Failure(description: "the passphrase is too long") }
        }
        guard !line.isEmpty else { throw Failure(description: "no passphrase was given; nothing was written") }
        return line
    }

    /// Overwrites a passphrase held in an array.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { b in
            if let base = b.baseAddress { explicit_bzero(base, b.count) }
        }
        bytes.removeAll()
    }
}
