import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenProcess
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The daemon's process and files: no core dumps, no ptrace or /proc/PID/mem for its own
    /// user, permissions checked at start, and a graceful stop on SIGTERM.
    @Suite struct ProcessHardeningTests {
        @Test func coreDumpsAreOffInTheRunningDaemon() throws {
            let v = try TestVault(enrol: false)
            let limits = try String(contentsOfFile: "/proc/\(v.pid!)/limits", encoding: .utf8)
            let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") } ?? ""
            #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")
            let status = try String(contentsOfFile: "/proc/\(v.pid!)/status", encoding: .utf8)
            #expect(status.contains("CoreDumping:\t0"))
        }

        /// Run as an ordinary user, the daemon's /proc entries belong to root: the kernel's sign
        /// that it is not dumpable, so processes of the same user cannot ptrace it or read its
        /// memory. Needs root to start the daemon as another user; skipped otherwise.
        @Test(.enabled(if: getuid() == 0)) func theDaemonIsNotDumpableForItsOwnUser() throws {
            let v = try TestVault(enrol: false, start: false)
            let uid: uid_t = 64_123
            for path in [v.root, v.data] + (try v.dataFiles()) { chown(path, uid, uid) }
            let p = try ChildProcess("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", TestVault.havend,
                                                          "--data", v.data, "--socket", v.socket, "--policy", v.policy],
                                     environment: Command.baseEnvironment)
            defer { _ = p.stop(grace: 30) }
            try waitFor { FileManager.default.fileExists(atPath: v.socket) }
            var st = stat()
            #expect(stat("/proc/\(p.pid)/status", &st) == 0)
            #expect(st.st_uid == 0, "/proc/PID/status is owned by \(st.st_uid): the daemon is dumpable")
            let status = try String(contentsOfFile: "/proc/\(p.pid)/status", encoding: .utf8)
            #expect(status.contains("Uid:\t\(uid)"))
            // A process of the same user may not read the daemon's memory or environment.
            let peek = try Command.run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups",
                                                            "/bin/cat", "/proc/\(p.pid)/environ"])
            #expect(peek.status != 0 && peek.stderr.contains("Permission denied"), "\(peek)")
        }

        @Test func aSocketDirectoryOthersCanEnterIsRefused() throws {
            let v = try TestVault(enrol: false, start: false)
            chmod(v.root, 0o755)
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.hasPrefix("havend: socket directory \(v.root) is accessible by others (mode 755)"))
            chmod(v.root, 0o770)
            let g = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(g.status == 1 && g.stderr.hasPrefix("havend: socket directory \(v.root) is writable by its group (mode 770)"), "\(g)")
            chmod(v.root, 0o750)
            try v.start()
            #expect(v.isRunning)
        }

        /// The socket's group is the access list: the real CLI run as an ordinary user outside
        /// it is told so (not "is the daemon running?"), and the same user in the group is served.
        @Test(.enabled(if: getuid() == 0)) func onlyTheSocketGroupCanConnectAndOthersAreToldWhy() throws {
            let v = try TestVault()
            let uid: uid_t = 64_125
            let home = v.root + "-client"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: home) }
            try FileManager.default.copyItem(atPath: v.keyPath("counsellor"), toPath: home + "/counsellor.key")
            for path in [home, home + "/counsellor.key"] { chown(path, uid, uid) }
            let list = [TestVault.haven, "record", "list", "--socket", v.socket, "--key", home + "/counsellor.key"]

            chmod(v.root, 0o711)  // the directory can be passed through: only the socket's 0660 keeps the outsider out
            let outsider = try Command.run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups"] + list)
            #expect(outsider.status == 5, "\(outsider)")
            #expect(outsider.stderr.contains("cannot connect to havend at \(v.socket): permission denied"), "\(outsider)")
            #expect(outsider.stderr.contains("add you to the group of the socket"))

            chmod(v.root, 0o750)  // the socket directory, group = the daemon's group (root here)
            let member = try Command.run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--groups=\(getgid())"] + list)
            #expect(member.status == 0, "\(member)")
        }

        @Test(.enabled(if: getuid() == 0)) func filesOwnedByAnotherUserAreRefused() throws {
            let v = try TestVault(enrol: false, start: false)
            chown(v.data + "/root.key", 64_124, 64_124)
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(r.status == 1 && r.stderr.contains("root key file \(v.data)/root.key is owned by uid 64124"), "\(r)")
            chown(v.data + "/root.key", 0, 0)
            chown(v.data, 64_124, 64_124)
            let d = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(d.status == 1 && d.stderr.contains("data directory \(v.data) is owned by uid 64124"), "\(d)")
        }

        /// SIGTERM: stop accepting, finish what is in flight, audit the stop with a final
        /// checkpoint over everything, exit 0.
        @Test func sigtermFinishesRequestsInFlightAndEndsWithACheckpoint() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["incident_type": "rape", "survivor_name": "Graceful"])
            var connections = [HavenClientBox]()
            for _ in 0..<4 { connections.append(HavenClientBox(client: try await v.client(as: "intake"))) }
            let clients = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for (n, box) in connections.enumerated() {
                    group.addTask {
                        let c = box.client
                        var ok = 0, refused = 0
                        for i in 0..<400 {
                            do {
                                let _: ReadRecordResponse = try await c.post("/v1/records/\(id)/read",
                                    ReadRecordRequest(purpose: "client \(n) read \(i)", fields: nil, breakGlass: nil))
                                ok += 1
                            } catch {
                                refused += 1
                                break
                            }
                        }
                        await c.close()
                        return (ok, refused)
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                let code = v.stop()
                #expect(code == 0, "havend exited \(code ?? -1) on SIGTERM")
                var all = [(Int, Int)]()
                for try await r in group { all.append(r) }
                return all
            }
            let answered = clients.map(\.0).reduce(0, +)
            #expect(answered > 0)
            // Every answered read is in the log, and the last entry is the stop, signed over.
            let (reads, last, covered) = try v.withDatabase { db -> (Int, String, Int64) in
                let r = try db.statement("SELECT COUNT(*) FROM audit_entries WHERE action = 'record.read' AND decision = 'allow'")
                _ = try r.step()
                let l = try db.statement("SELECT entry FROM audit_entries ORDER BY seq DESC LIMIT 1")
                _ = try l.step()
                let c = try db.statement("SELECT MAX(size) FROM audit_checkpoints")
                _ = try c.step()
                let total = try db.statement("SELECT COUNT(*) FROM audit_entries")
                _ = try total.step()
                return (Int(r.int64(0)), String(decoding: l.blob(0), as: UTF8.self), c.int64(0) - total.int64(0))
            }
            #expect(reads >= answered)
            #expect(last.contains("\"action\":\"daemon.stop\""))
            #expect(covered == 0, "the final checkpoint does not cover the whole log")
            #expect(v.daemonLog.contains("] stopped"))
        }
    }
}

/// A client handed to a task.
struct HavenClientBox: Sendable {
    let client: HavenClient
}
