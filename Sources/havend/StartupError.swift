import CHavenSystem
import Glibc

/// Keeps decrypted values and keys out of crash dumps and away from debuggers.
enum ProcessHardening {
    /// `PR_SET_DUMPABLE 0`: no core dump, and processes of the same user can no longer
    /// ptrace the daemon or read its /proc/PID/mem. `RLIMIT_CORE 0`: no core file even if
    /// something turned dumping back on.
    static func apply() throws {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        guard setrlimit(Int32(RLIMIT_CORE.rawValue), &none) == 0 else {
            throw StartupError("cannot disable core dumps (setrlimit RLIMIT_CORE): \(String(cString: strerror(errno)))")
        }
        guard haven_set_non_dumpable() == 0 else {
            throw StartupError("cannot mark the process non-dumpable (prctl PR_SET_DUMPABLE): \(String(cString: strerror(errno)))")
        }
    }

    /// Raises the open-file limit to its hard maximum so the connection limit, not the
    /// kernel's default of 1024 descriptors, is what bounds clients.
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// A reason the daemon cannot start, printed as one line.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
