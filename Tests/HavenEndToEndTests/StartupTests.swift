import Foundation
import Glibc
import HavenTestSupport
import Testing

extension EndToEnd {
    /// havend refuses to start, with one clear line, when the vault's files are exposed.
    @Suite struct StartupTests {
        func start(_ v: TestVault) throws -> CommandResult {
            try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
        }

        @Test(arguments: [0o750, 0o705, 0o755])
        func refusesADataDirectoryOthersCanReach(mode: Int) throws {
            let v = try TestVault(enrol: false, start: false)
            chmod(v.data, mode_t(mode))
            let r = try start(v)
            #expect(r.status == 1)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.hasPrefix("havend: data directory \(v.data) is accessible by group or others"), "\(r)")
        }

        @Test(arguments: [0o640, 0o604, 0o644])
        func refusesARootKeyOthersCanRead(mode: Int) throws {
            let v = try TestVault(enrol: false, start: false)
            chmod(v.data + "/root.key", mode_t(mode))
            let r = try start(v)
            #expect(r.status == 1)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.hasPrefix("havend: root key file \(v.data)/root.key is accessible by group or others"), "\(r)")
        }

        /// A signal that arrives while the daemon is still opening the vault waits until it
        /// serves: SIGHUP does not kill a starting daemon, and SIGTERM is neither lost nor abrupt.
        @Test func aSIGHUPDuringStartReloadsOnceTheDaemonIsReady() throws {
            let v = try TestVault(enrol: false, start: false)
            try Self.launchUntilSignalsAreBlocked(v)
            v.send(SIGHUP)
            try v.waitUntilServing()
            try waitFor { v.daemonLog.contains("policy reloaded") }
            #expect(v.isRunning)
            // Every thread started since (event loops, the writer) inherited the mask, so
            // none of them can take a SIGTERM with its default action. (The main thread shows
            // them unblocked while it waits for them in sigwait.)
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(v.pid!)/task").filter { $0 != "\(v.pid!)" }
            #expect(tasks.count > 1)
            for task in tasks {
                let mask = Self.blockedSignals(ofStatus: "/proc/\(v.pid!)/task/\(task)/status") ?? 0
                #expect(mask & (1 << (SIGTERM - 1)) != 0, "thread \(task) does not block SIGTERM")
            }
        }

        @Test func aSIGTERMDuringStartStopsTheDaemonGracefully() throws {
            let v = try TestVault(enrol: false, start: false)
            try Self.launchUntilSignalsAreBlocked(v)
            v.send(SIGTERM)
            #expect(v.waitForExit(upTo: 30) == 0, "\(v.daemonLog)")
            #expect(v.daemonLog.contains("] ready") && v.daemonLog.contains("] stopped"), "\(v.daemonLog)")
        }

        /// Starts havend and returns once it has blocked its signals, the first thing it does.
        static func launchUntilSignalsAreBlocked(_ v: TestVault) throws {
            try v.launch()
            try waitFor { (v.pid.flatMap { blockedSignals(ofStatus: "/proc/\($0)/status") } ?? 0) & (1 << (SIGTERM - 1)) != 0 }
        }

        /// A thread's blocked-signal mask, from its /proc status file.
        static func blockedSignals(ofStatus path: String) -> UInt64? {
            guard let status = try? String(contentsOfFile: path, encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }) else { return nil }
            return UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        }

        @Test func refusesASecondDaemonOnTheSameVault() throws {
            let v = try TestVault(enrol: false)
            let r = try start(v)
            #expect(r.status == 1)
            #expect(r.stderr.contains("another havend is already serving"), "\(r)")
            try v.expectOK(as: "admin", ["status"])
        }

        @Test func createsTheSocket0660() throws {
            let v = try TestVault(enrol: false)
            var st = stat()
            #expect(lstat(v.socket, &st) == 0)
            #expect(st.st_mode & 0o777 == 0o660)
        }

        /// The root key can live off the data disk (and out of its backups): `haven init
        /// --root-key` writes it there, havend needs the same `--root-key` to open the vault,
        /// and the same permission rules hold for it.
        @Test func theRootKeyCanBeKeptOutsideTheDataDirectory() throws {
            let v = try TestVault(enrol: false, start: false)
            let elsewhere = v.root + "/token"
            mkdir(elsewhere, 0o700)
            let data = v.root + "/data2"
            let made = try Command.run(TestVault.haven, ["init", "--data", data, "--root-key", elsewhere + "/root.key",
                                                         "--admin-key", v.keys + "/admin.key.pub"])
            #expect(made.status == 0, "\(made)")
            #expect(!FileManager.default.fileExists(atPath: data + "/root.key"))
            var st = stat()
            #expect(stat(elsewhere + "/root.key", &st) == 0 && st.st_mode & 0o777 == 0o600)

            let without = try Command.run(TestVault.havend, ["--data", data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(without.status == 1 && without.stderr.split(separator: "\n").count == 1, "\(without)")
            #expect(without.stderr.contains("root key file \(data)/root.key is missing"), "\(without)")
            #expect(without.stderr.contains("give its path with --root-key"), "\(without)")

            // A copy left beside the data undoes keeping it elsewhere: refused.
            try FileManager.default.copyItem(atPath: elsewhere + "/root.key", toPath: data + "/root.key")
            let copy = try Command.run(TestVault.havend, ["--data", data, "--socket", v.socket, "--policy", v.policy,
                                                          "--root-key", elsewhere + "/root.key"], timeout: 20)
            #expect(copy.status == 1 && copy.stderr.contains("\(data)/root.key exists although the root key is kept in"), "\(copy)")
            try FileManager.default.removeItem(atPath: data + "/root.key")

            chmod(elsewhere + "/root.key", 0o644)
            let loose = try Command.run(TestVault.havend, ["--data", data, "--socket", v.socket, "--policy", v.policy,
                                                           "--root-key", elsewhere + "/root.key"], timeout: 20)
            #expect(loose.status == 1 && loose.stderr.contains("is accessible by group or others"), "\(loose)")
            chmod(elsewhere + "/root.key", 0o600)

            // The original vault's key opens only the original vault.
            let wrong = try Command.run(TestVault.havend, ["--data", data, "--socket", v.socket, "--policy", v.policy,
                                                           "--root-key", v.data + "/root.key"], timeout: 20)
            #expect(wrong.status == 1 && wrong.stderr.contains("does not open this vault"), "\(wrong)")

            // Served with the right one.
            rename(v.data + "/root.key", v.root + "/moved.key")
            try v.start(extraArguments: ["--root-key", v.root + "/moved.key"])
            try v.expectOK(as: "admin", ["status"])
        }
    }
}
