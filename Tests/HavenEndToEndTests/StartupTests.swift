import Foundation
import Glibc
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
    }
}
