import Foundation
import Glibc
import HavenAPI
import HavenStore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Faults fail closed and recover: a full disk, a read-only data directory, a locked
    /// database. During the fault, requests fail with 503 and no value leaves; after it, service
    /// resumes with nothing acknowledged lost and the audit log still verifies.
    @Suite(.serialized) struct FaultTests {
        /// Whether this machine lets the tests mount a tmpfs (root, in a sandbox that allows
        /// it), tried once per run: where it cannot, the tests that need one show as skipped.
        static let canMountTmpfs: Bool = {
            let probe = "/tmp/hv-tmpfs-probe-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            defer { rmdir(probe) }
            guard mountTmpfs(at: probe, size: "1m") else { return false }
            return (try? Command.run("/bin/umount", [probe]))?.status == 0
        }()

        static let noTmpfs = Comment(rawValue: "needs a tmpfs mount (root, in a sandbox that allows it); "
            + "AuditTests.whenTheAuditLogCannotBeWritten… drives the same failure path by an injected fault")

        static func mountTmpfs(at path: String, size: String) -> Bool {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return (try? Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path]))?.status == 0
        }

        static func unmount(_ path: String) {
            _ = try? Command.run("/bin/umount", ["-l", path])
        }

        /// A vault whose data directory lives on a 3 MB tmpfs.
        func vaultOnTmpfs() throws -> (TestVault, String) {
            let v = try TestVault(enrol: false, start: false)
            // Move the vault made by `haven init` aside, mount the tmpfs over its directory, and
            // move it back onto the tmpfs.
            let aside = v.root + "/aside"
            _ = try Command.run("/bin/cp", ["-a", v.data, aside])
            guard Self.mountTmpfs(at: v.data, size: "3m") else { throw TestFailure("mounting a tmpfs on \(v.data) failed") }
            _ = try Command.run("/bin/cp", ["-a", aside + "/.", v.data])
            return (v, v.data)
        }

        func readsFailClosed(_ v: TestVault, _ id: String, _ what: String) throws {
            let r = try v.haven(as: "intake", ["record", "get", id, "--purpose", "during \(what)"])
            #expect(r.status == 5, "\(what): \(r)")
            #expect(r.stderr.contains("audit_unavailable") || r.stderr.contains("store_unavailable"), "\(what): \(r)")
            #expect(!r.stdout.contains("Fault survivor"), "\(what): a value left during the fault")
        }

        func recovered(_ v: TestVault, _ ids: [String]) throws {
            for id in ids {
                let r = try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the fault"])
                #expect(r.stdout.contains("Fault survivor"))
            }
            let verified = try v.haven(as: "auditor", ["audit", "verify"])
            #expect(verified.status == 0, "\(verified)")
        }

        @Test(.enabled(if: Self.canMountTmpfs, Self.noTmpfs))
        func aFullDiskFailsClosedAndRecovers() throws {
            let (v, mount) = try vaultOnTmpfs()
            defer { v.stop(); Self.unmount(mount) }
            try v.start()
            for u in TestVault.standardUsers {
                try v.expectOK(as: "admin", ["user", "add", u.name, "--role", u.role, "--agency", u.agency, "--public-key", v.keys + "/\(u.name).key.pub"])
            }
            var acknowledged = [try v.createRecord(["incident_type": "rape", "survivor_name": "Fault survivor"])]
            // Fill the disk, leaving a little room.
            _ = try Command.run("/bin/dd", ["if=/dev/zero", "of=\(mount)/filler", "bs=64k", "count=100", "status=none"])
            var refused = 0
            for i in 0..<40 {
                let r = try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "incident_type=rape",
                                                   "--field", "survivor_name=Fault survivor", "--field",
                                                   "incident_description=\(String(repeating: "x", count: 5000)) \(i)"])
                if r.status == 0 {
                    acknowledged.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                } else {
                    #expect(r.status == 5 && (r.stderr.contains("audit_unavailable") || r.stderr.contains("store_unavailable")), "\(r)")
                    refused += 1
                }
            }
            #expect(refused > 0, "the disk never filled")
            try readsFailClosed(v, acknowledged[0], "a full disk")
            #expect(v.isRunning)
            // Clear the fault.
            unlink(mount + "/filler")
            try recovered(v, acknowledged)
        }

        /// A read-only data directory. Linux refuses to remount a file system read-only while a
        /// process has files on it open for writing (EBUSY), so the live case — writes failing
        /// under a running daemon — is the full-disk test above and the injected audit fault;
        /// here the directory goes read-only while the daemon is stopped: it refuses to start,
        /// with one line, changes nothing, and starts cleanly once the directory is writable.
        @Test(.enabled(if: Self.canMountTmpfs, Self.noTmpfs))
        func aReadOnlyDataDirectoryFailsClosedAndRecovers() throws {
            let (v, mount) = try vaultOnTmpfs()
            defer { v.stop(); Self.unmount(mount) }
            try v.start()
            for u in TestVault.standardUsers {
                try v.expectOK(as: "admin", ["user", "add", u.name, "--role", u.role, "--agency", u.agency, "--public-key", v.keys + "/\(u.name).key.pub"])
            }
            let id = try v.createRecord(["incident_type": "rape", "survivor_name": "Fault survivor"])
            v.stop()
            #expect(try Command.run("/bin/mount", ["-o", "remount,ro", mount]).status == 0)
            let refused = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 20)
            #expect(refused.status == 1 && refused.stderr.split(separator: "\n").count == 1, "\(refused)")
            #expect(try v.haven(as: "intake", ["record", "get", id, "--purpose", "while read-only"]).status == 5)
            #expect(try Command.run("/bin/mount", ["-o", "remount,rw", mount]).status == 0)
            try v.start()
            try recovered(v, [id])
        }

        /// Another process holds the database's write lock: the daemon waits its busy timeout,
        /// then refuses (503); when the lock goes, it serves again.
        @Test func aLockedDatabaseFailsClosedAndRecovers() throws {
            let v = try TestVault()
            let id = try v.createRecord(["incident_type": "rape", "survivor_name": "Fault survivor"])
            let locker = try Connection(path: v.data + "/haven.db", mode: .readWrite)
            try locker.execute("BEGIN EXCLUSIVE")
            try readsFailClosed(v, id, "a locked database")
            #expect(try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "incident_type=rape"]).status == 5)
            try locker.execute("ROLLBACK")
            try recovered(v, [id])
        }

        /// Something holds the socket but never answers (a stuck daemon): the CLI gives up
        /// after --timeout with exit 5 and one line, instead of waiting forever.
        @Test func aSocketThatNeverAnswersTimesOutWithExit5() throws {
            let v = try TestVault(enrol: false, start: false)
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd); unlink(v.socket) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(v.socket.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0 && listen(fd, 8) == 0)
            // Connections wait in the backlog, never accepted, never answered.
            let r = try v.haven(as: "admin", ["status", "--timeout", "1"])
            #expect(r.status == 5, "\(r)")
            #expect(r.stderr.hasPrefix("haven: unavailable: havend did not answer within 1 s"), "\(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
        }
    }
}
