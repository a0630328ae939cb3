import CHavenSystem
import Glibc
import HavenSystem
import Synchronization

/// A child process started with posix_spawn and reaped with waitpid by whoever asks.
///
/// Foundation's Process learns of a child's exit through a monitor thread and a run loop,
/// and its `waitUntilExit` has no time limit. Here every wait is a `waitpid(WNOHANG)` loop on
/// the caller's own thread with a deadline the caller chooses, so a child that does not end
/// is reported, not waited for. A child still running when this object goes is killed.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        /// Something else in this process collected the exit (a bug there), so how it ended is unknown.
        case collectedElsewhere

        /// The shell's convention: the exit status, or 128 plus the signal number; -1 if unknown.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            case .collectedElsewhere: -1
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            case .collectedElsewhere: "an exit collected by someone else"
            }
        }
    }

    public let pid: pid_t
    /// Set once, by whichever caller's waitpid collects the exit.
    private let reaped = Mutex<Termination?>(nil)

    /// Starts `executable` with `arguments` and exactly `environment`. Standard input comes
    /// from the file `stdin`; standard output and error are appended to the files `stdout`
    /// and `stderr` (created 0600 if missing). A nil path means /dev/null. The child gets no
    /// other descriptor of ours, and every signal at its default with nothing blocked.
    public convenience init(_ executable: String, _ arguments: [String], environment: [String: String],
                            stdin: String? = nil, stdout: String? = nil, stderr: String? = nil) throws(ChildProcessError) {
        let output = O_WRONLY | O_CREAT | O_APPEND
        try self.init(executable, arguments, environment: environment, session: false) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
                | posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", output, 0o600)
                | posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", output, 0o600)
        }
    }

    /// Starts `executable` in a session of its own whose controlling terminal is the terminal
    /// device `terminal` (a pseudo-terminal's other end), on its standard input, output and
    /// error: as a login shell runs a command, so that Ctrl-C typed there, or the terminal
    /// hanging up, reaches it as it would reach a person's command.
    public convenience init(_ executable: String, _ arguments: [String], environment: [String: String],
                            terminal: String) throws(ChildProcessError) {
        try self.init(executable, arguments, environment: environment, session: true) { actions in
            // A session leader without a terminal takes the first one it opens (no O_NOCTTY):
            // the session is made before the file actions run.
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
                | posix_spawn_file_actions_adddup2(&actions, 0, 1)
                | posix_spawn_file_actions_adddup2(&actions, 0, 2)
        }
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String], session: Bool,
                 descriptors: (inout posix_spawn_file_actions_t) -> Int32) throws(ChildProcessError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var failed: Int32 = descriptors(&actions)
        failed |= haven_spawn_close_from(&actions, 3)

        // The caller may block or ignore signals (havend blocks SIGTERM for sigwait); a
        // child must not inherit either, or a SIGTERM meant for it would be lost.
        var nothing = sigset_t(), reset = sigset_t()
        sigemptyset(&nothing)
        sigfillset(&reset)
        failed |= posix_spawnattr_setsigmask(&attributes, &nothing)
        failed |= posix_spawnattr_setsigdefault(&attributes, &reset)
        // POSIX_SPAWN_SETSID (glibc 2.26), which the Glibc module does not declare.
        let newSession: Int32 = session ? 0x80 : 0
        failed |= posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | newSession))
        guard failed == 0 else { throw ChildProcessError(executable, "cannot prepare its start") }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw ChildProcessError(executable, String(cString: strerror(result))) }
        pid = child
    }

    deinit {
        // An error path that forgot the child must not leave it running, nor a zombie.
        if termination == nil {
            send(SIGKILL)
            _ = wait(upTo: 10)
        }
    }

    /// How the child ended, or nil while it runs. Collects the exit if it has happened.
    public var termination: Termination? {
        reaped.withLock { reaped in
            if reaped == nil { reaped = Self.reap(pid) }
            return reaped
        }
    }

    public var isRunning: Bool { termination == nil }

    /// Sends `signal` unless the child has already been reaped (its pid may be reused).
    public func send(_ signal: Int32) {
        reaped.withLock { reaped in
            if reaped == nil { reaped = Self.reap(pid) }
            if reaped == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    /// Waits up to `seconds` for the child to end; nil if it is still running.
    public func wait(upTo seconds: Double) -> Termination? {
        let deadline = Self.now() + seconds
        var pause: UInt32 = 500
        while true {
            if let t = termination { return t }
            if Self.now() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// SIGTERM, up to `grace` seconds for a clean exit, then SIGKILL. Returns how the child
    /// ended and whether it needed the SIGKILL.
    public func stop(grace: Double) -> (termination: Termination, forced: Bool) {
        send(SIGTERM)
        if let t = wait(upTo: grace) { return (t, false) }
        return (kill(), true)
    }

    /// SIGKILL and the exit it causes. SIGKILL cannot be caught, so this returns at once
    /// unless the child is stuck inside the kernel (a hung disk), the one unbounded wait here.
    @discardableResult
    public func kill() -> Termination {
        send(SIGKILL)
        while true {
            if let t = wait(upTo: 60) { return t }
        }
    }

    private static func reap(_ pid: pid_t) -> Termination? {
        var status: Int32 = 0
        let result: pid_t
        do {
            result = try systemCall("waitpid") { waitpid(pid, &status, WNOHANG) }
        } catch {
            return error.code == ECHILD ? .collectedElsewhere : nil
        }
        guard result == pid else { return nil }
        // The <sys/wait.h> macros are not importable; these are their Linux definitions.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A child process that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    init(_ executable: String, _ reason: String) { description = "cannot start \(executable): \(reason)" }
}
