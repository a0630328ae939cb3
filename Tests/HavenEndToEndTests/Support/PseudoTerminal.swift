import Foundation
import Glibc
import HavenProcess
import HavenTestSupport

/// A pseudo-terminal with a real program on its far end, as a person at a terminal runs it:
/// the program leads a session of its own whose controlling terminal is this one, so what
/// is written here reaches it as typing does (0x03 is Ctrl-C, delivered as SIGINT by the
/// line discipline), and closing this end is the window closed (SIGHUP, then EIO).
final class PseudoTerminal {
    /// The master side, this process's end.
    private(set) var master: Int32
    /// The terminal device the program has (/dev/pts/N).
    let device: String
    /// Everything the program wrote to the terminal so far.
    private(set) var output = ""

    init() throws {
        let pair = try PseudoTerminalPair.open()
        master = pair.master
        device = pair.device
    }

    deinit { hangUp() }

    /// Whether this machine gives out pseudo-terminals (a test needing one is skipped visibly if not).
    static var available: Bool {
        guard let pair = try? PseudoTerminalPair.open() else { return false }
        close(pair.master)
        return true
    }

    /// Runs `executable` on this terminal, with the test run's environment and `environment`.
    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(executable, arguments, environment: Command.baseEnvironment.merging(environment) { $1 },
                         terminal: device)
    }

    /// Types `text` (no newline is added).
    func type(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) }
    }

    /// Reads what the program writes until `text` has appeared, or `seconds` pass.
    @discardableResult
    func waitFor(_ text: String, upTo seconds: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while !output.contains(text) {
            guard Date() < deadline else { throw TestFailure("\"\(text)\" never appeared on the terminal; it shows:\n\(output)") }
            drain(waitingMilliseconds: 100)
        }
        return output
    }

    /// Reads whatever the program has written, waiting up to `waitingMilliseconds` for the first byte.
    func drain(waitingMilliseconds: Int32 = 0) {
        guard master >= 0 else { return }
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        var wait = waitingMilliseconds
        var buffer = [UInt8](repeating: 0, count: 4096)
        while poll(&poller, 1, wait) > 0, poller.revents & Int16(POLLIN) != 0 {
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return }
            output += String(decoding: buffer[..<n], as: UTF8.self)
            wait = 0
        }
    }

    /// Whether the terminal echoes what is typed (the program's settings are the terminal's:
    /// a pseudo-terminal's two ends share them).
    var echoes: Bool {
        var settings = termios()
        guard tcgetattr(master, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }

    /// Waits until the terminal's echo is `on`, or `seconds` pass; whether it got there.
    func waitForEcho(_ on: Bool, upTo seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while echoes != on {
            guard Date() < deadline else { return false }
            drain(waitingMilliseconds: 20)
        }
        return true
    }

    /// Closes this end: the window closed.
    func hangUp() {
        guard master >= 0 else { return }
        close(master)
        master = -1
    }

    /// The processes still in session `leader` (the program and anything it started), from /proc.
    static func processes(inSession leader: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            // After "(comm)": state, ppid, pgrp, session.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && pid_t(fields[3]) == leader && fields[0] != "Z"
        }
    }
}
