import Foundation
import HavenCore
import HavenCrypto
import HavenStore
import HavenTestSupport
import HavenVault
import Testing

extension EndToEnd.RecoveryJournalTests {
    /// Acts are journaled after their commits, from whichever event loop answers them, so two
    /// rekeys of one user can land in the journal in the opposite order to their commits (here
    /// the journal is written so, signed and chained by the vault's key as havend would). The
    /// restore applies them in commit order: the key given last is the one that opens.
    @Test func actsJournaledOutOfOrderAreAppliedInCommitOrder() throws {
        let anchor = EndToEnd.BackupTests.anchorPath()
        defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
        let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
        try v.start(extraArguments: ["--create-anchor"])
        let archive = v.root + "/last-week.hvbk"
        try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
        try v.newKey("laptop-stolen")
        try v.newKey("laptop-new")
        try v.expectOK(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("laptop-stolen") + ".pub"])
        try v.expectOK(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("laptop-new") + ".pub"])
        _ = v.stop()

        let db = try Connection(path: v.data + "/haven.db", mode: .readOnly)
        let keys = try VaultKeys.open(root: try RootKey(material: try KeyFiles.readSecret(kind: .rootKey, path: v.data + "/root.key")),
                                      meta: try VaultMetaTable.read(on: db), what: "the root key")
        let file = AnchorFile(path: anchor)
        let acts = try RecoveryJournal(anchor: file).read(vault: keys.vaultID, key: keys.publicKey).acts
        #expect(acts.count == 2 && acts[0].seq < acts[1].seq && acts[0].when <= acts[1].when, "stamped in commit order: \(acts)")
        // The two lines swapped, as two answers racing after their commits would leave them.
        let swapped = AnchorFile(path: v.root + "/swapped.json")
        for act in acts.reversed() { try RecoveryJournal(anchor: swapped).append(act, vault: keys.vaultID, signer: keys.signingKey) }
        let drill = v.root + "/drill"
        let drillAnchor = try Self.copyAnchor(anchor, into: drill)
        try FileManager.default.removeItem(atPath: drillAnchor + ".journal")
        try FileManager.default.copyItem(atPath: swapped.path + ".journal", toPath: drillAnchor + ".journal")
        let read = try RecoveryJournal(anchor: AnchorFile(path: drillAnchor)).read(vault: keys.vaultID, key: keys.publicKey)
        var tally = try #require(try RecoveryTally(anchor: AnchorFile(path: drillAnchor)).read(vault: keys.vaultID, key: keys.publicKey))
        (tally.journalBytes, tally.journalHead) = (read.bytes, try #require(read.heads[read.bytes]))
        try tally.write(vault: keys.vaultID, signer: keys.signingKey)

        let restored = try TestVault(enrol: false, start: false, distinct: true)
        try FileManager.default.removeItem(atPath: restored.data)
        // Nothing was made since the archive (only keys replaced): no --accept-loss is asked.
        let r = try Self.restore(v, archive, into: restored.data, anchor: drillAnchor)
        #expect(r.status == 0 && r.stdout.contains("key replaced 2") && r.stdout.contains("nothing lost since the archive"), "\(r)")
        try restored.start(extraArguments: ["--root-key", v.data + "/root.key"])
        func list(_ key: String) throws -> CommandResult {
            try Command.run(TestVault.haven, ["record", "list", "--socket", restored.socket, "--key", v.keyPath(key)])
        }
        #expect(try list("laptop-new").status == 0, "the key given last opens")
        #expect(try list("laptop-stolen").status == 3, "the stolen laptop's key opens nothing")
        _ = restored.stop()
    }
}
