import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A restore names the shares an archive opens with truthfully on both sides of a root
    /// key rotation: an archive from before it given the new shares, and a later archive
    /// given the old ones, are each refused with words true of that case, before anything
    /// is written; each archive opens with the shares in force when it was made.
    @Suite struct RestoreAcrossRotationTests {
        @Test func eachArchiveOpensWithItsOwnSharesAndTheRefusalSaysSo() throws {
            let v = try TestVault(enrol: false, initArguments: SealTests.shares)
            for i in [1, 2] { try SealTests.unseal(v, i) }
            let before = v.root + "/before.hvbk", after = v.root + "/after.hvbk"
            try v.expectOK(as: "admin", ["backup", "create", "--out", before])
            let old = [try SealTests.share(v, 1), try SealTests.share(v, 3)]
            let started = try CustodyCeremonyTests.start(v, out: v.root + "/new-shares")
            try CustodyCeremonyTests.offer(v, started.pending, custodian: 1)
            try CustodyCeremonyTests.offer(v, started.pending, custodian: 3)
            try v.expectOK(as: "admin", ["backup", "create", "--out", after])
            let new = [started.share_files[0], started.share_files[2]]
            let keys = [v.keyPath(SealTests.custodian(1)), v.keyPath(SealTests.custodian(3))]

            func restore(_ archive: String, _ shares: [String], into target: String) throws -> CommandResult {
                try Command.run(TestVault.haven, ["backup", "restore", archive, "--data", target, "--policy", v.policy]
                    + shares.flatMap { ["--share", $0] } + keys.flatMap { ["--share-key", $0] })
            }
            for (archive, shares) in [(before, new), (after, old)] {
                let target = v.root + "/refused"
                let r = try restore(archive, shares, into: target)
                #expect(r.status == 1 && r.stderr.contains("is not one of the shares this archive opens with"), "\(r)")
                #expect(r.stderr.contains("give the shares in force when the archive was made"), "\(r)")
                // Not the unseal's words, which are true only of the live vault.
                #expect(!r.stderr.contains("no longer open the vault"), "\(r)")
                #expect(!FileManager.default.fileExists(atPath: target))
            }
            #expect(try restore(before, old, into: v.root + "/restored-before").status == 0)
            #expect(try restore(after, new, into: v.root + "/restored-after").status == 0)
        }
    }
}
