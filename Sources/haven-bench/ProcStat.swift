import Foundation
import Glibc

/// What the kernel says of a child process, read from /proc: the one place the benchmarks
/// parse it (havend's and haven-web's CPU time and memory).
enum ProcStat {
    /// User plus system CPU seconds the process has used so far (0 once it is gone).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after "pid (comm)": state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The KiB lines of /proc/PID/status (`VmHWM`, `VmRSS`, `RssAnon`, `RssFile`…) by name;
    /// empty once the process is gone.
    static func statusKiB(_ pid: Int32) -> [String: Double] {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [:] }
        var out = [String: Double]()
        for line in status.split(separator: "\n") {
            // "RssAnon:\t    3456 kB"
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, parts[2] == "kB", parts[0].hasSuffix(":"), let kib = Double(parts[1]) else { continue }
            out[String(parts[0].dropLast())] = kib
        }
        return out
    }
}
