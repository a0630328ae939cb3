import CHavenSystem
import Glibc

/// Keeps decrypted values, keys and passphrases out of crash dumps and away from debuggers:
/// havend and haven-web both call it first thing.
public enum ProcessHardening {
    /// `PR_SET_DUMPABLE 0`: no core dump, and processes of the same user can no longer
    /// ptrace the process or read its /proc/PID/mem. `RLIMIT_CORE 0`: no core file even if
    /// something turned dumping back on.
    public static func apply() throws(SystemCallError) {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        guard setrlimit(Int32(RLIMIT_CORE.rawValue), &none) == 0 else { throw SystemCallError(call: "setrlimit RLIMIT_CORE", code: errno) }
        guard haven_set_non_dumpable() == 0 else { throw SystemCallError(call: "prctl PR_SET_DUMPABLE", code: errno) }
    }

    /// Raises the open-file limit to its hard maximum so the connection limit, not the
    /// kernel's default of 1024 descriptors, is what bounds clients.
    public static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
