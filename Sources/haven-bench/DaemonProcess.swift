import Foundation
import Glibc
import HavenClient
import HavenCore
import HavenProcess
import NIOPosix

/// The real `havend` (the binary beside haven-bench) on a temporary socket, and what the
/// kernel says about it: CPU time used and peak resident memory.
final class DaemonProcess {
    let process: ChildProcess
    let socket: String
    /// From spawning the process to the first answer on its socket.
    let startToReady: Double
    /// Its private and file-backed memory, from the start.
    let memory: MemorySampler

    convenience init(binaries: String, vault: BenchVault, policy: String, log: String) async throws {
        try await self.init(executable: binaries + "/havend", vault: vault, policy: policy, log: log)
    }

    init(executable: String, vault: BenchVault, policy: String, log: String) async throws {
        socket = vault.root + "/s"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let started = DispatchTime.now().uptimeNanoseconds
        process = try ChildProcess(executable,
                                   ["--data", vault.directory.path, "--socket", socket, "--policy", policy, "--log-level", "warning"],
                                   environment: ProcessInfo.processInfo.environment, stdout: log, stderr: log)
        memory = MemorySampler(pid: process.pid)
        // Ready means answering: an unauthenticated status request gets its 401.
        while true {
            guard process.isRunning else { throw BenchFailure("havend exited during start; see \(log)") }
            if let c = try? await ClientConnection.connect(socketPath: socket, group: MultiThreadedEventLoopGroup.singleton) {
                let answered = (try? await c.send(method: .GET, path: "/v1/status")) != nil
                await c.close()
                if answered { break }
            }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        startToReady = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    }

    /// User plus system CPU seconds the daemon has used so far.
    var cpuSeconds: Double { ProcStat.cpuSeconds(process.pid) }

    /// Bytes the daemon has caused to be written to storage so far (`write_bytes` of
    /// /proc/PID/io: the WAL, and the database file when the WAL is checkpointed into it).
    var writtenBytes: Double {
        guard let io = try? String(contentsOfFile: "/proc/\(process.pid)/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("write_bytes:") }),
              let bytes = Double(line.split(separator: " ").last ?? "") else { return 0 }
        return bytes
    }

    /// Peak resident set size so far (VmHWM), in MiB.
    var peakRSSMiB: Double { (ProcStat.statusKiB(process.pid)["VmHWM"] ?? 0) / 1024 }

    /// Peak private (anonymous) resident memory so far, in MiB: what the daemon holds itself.
    var peakPrivateMiB: Double { memory.peaks.anonymous / 1024 }

    /// Peak file-backed resident memory so far, in MiB: pages of files it has mapped (its
    /// binary and libraries), which the kernel keeps in its page cache and may drop.
    var peakFileMiB: Double { memory.peaks.file / 1024 }

    /// SIGTERM: the daemon finishes, signs its final checkpoint and exits 0. At 1M records
    /// the final checkpoint takes a moment, hence the long grace.
    func stop() throws {
        defer { memory.stop() }
        let (ended, forced) = process.stop(grace: 120)
        if forced { throw BenchFailure("havend did not stop within 120 s of SIGTERM and was killed") }
        guard ended == .exited(0) else { throw BenchFailure("havend ended with \(ended)") }
    }
}

/// A benchmark that could not run as intended.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
