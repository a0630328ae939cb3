import Foundation
import Glibc
import HavenProcess

/// The real `haven-web` (the binary beside haven-bench) serving plain HTTP on a loopback
/// port, as a client of the benchmark's havend, and what the kernel says of its memory and
/// CPU time.
final class WebProcess {
    let process: ChildProcess
    let port: UInt16
    let keys: String
    let executable: String
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(executable: String, socket: String, policy: String, root: String) async throws {
        self.executable = executable
        keys = root + "/web-keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        chmod(keys, 0o700)
        port = try Self.freePort()
        let log = root + "/haven-web.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process = try ChildProcess(executable, ["serve", "--socket", socket, "--listen", "127.0.0.1:\(port)", "--keys", keys,
                                                "--policy", policy, "--url", "http://127.0.0.1:\(port)"],
                                   environment: ProcessInfo.processInfo.environment, stdout: log, stderr: log)
        // Ready means the line the front promises on stderr.
        let deadline = Date().addingTimeInterval(60)
        while true {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("haven-web: serving") { break }
            guard process.isRunning else { throw BenchFailure("haven-web exited during start: \(text.suffix(400))") }
            guard Date() < deadline else { throw BenchFailure("haven-web did not say it serves within 60 s; see \(log)") }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    /// `haven-web invite NAME`: the invitation's path on this desk.
    func invite(_ name: String) throws -> String {
        let out = NSTemporaryDirectory() + "haven-bench-invite-\(getpid())-\(name)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let child = try ChildProcess(executable, ["invite", name, "--keys", keys, "--url", baseURL],
                                     environment: ProcessInfo.processInfo.environment, stdout: out, stderr: out)
        let ended = child.wait(upTo: 60)
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard ended == .exited(0), let link = text.split(separator: "\n").first(where: { $0.hasPrefix(baseURL + "/invite/") }) else {
            throw BenchFailure("haven-web invite \(name) failed (\(String(describing: ended))): \(text.prefix(400))")
        }
        return String(link.dropFirst(baseURL.count))
    }

    /// VmRSS and RssAnon (the private, anonymous part: what is the desk's own) in MiB.
    var memoryMiB: (rss: Double, anon: Double) {
        let kib = ProcStat.statusKiB(process.pid)
        return ((kib["VmRSS"] ?? 0) / 1024, (kib["RssAnon"] ?? 0) / 1024)
    }

    /// User plus system CPU seconds haven-web has used so far.
    var cpuSeconds: Double { ProcStat.cpuSeconds(process.pid) }

    func stop() {
        let (ended, forced) = process.stop(grace: 30)
        if forced || ended != .exited(0) { progress("haven-web ended with \(ended)\(forced ? " (killed after 30 s)" : "")") }
    }

    /// A loopback port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchFailure("bind(127.0.0.1:0): errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
