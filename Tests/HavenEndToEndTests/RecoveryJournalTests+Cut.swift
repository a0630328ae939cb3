import Foundation
import HavenTestSupport
import Testing

extension EndToEnd.RecoveryJournalTests {
    /// Someone who can write the anchor's directory but holds no root key cuts the journal
    /// at a line boundary while havend serves (last week's withdrawal gone), or deletes it:
    /// the next checkpoint finds the line the tally named gone, signs nothing over it, and
    /// changes are refused (`anchor_unavailable`) until the journal is put back; a journal
    /// deleted is never made again; a restore refuses the cut journal, and a missing tally
    /// or journal unless `--without-journal` is given.
    @Test func aJournalCutOrDeletedWhileServingIsNeverSignedOver() throws {
        let anchor = EndToEnd.BackupTests.anchorPath()
        defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
        let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
        try v.start(extraArguments: ["--create-anchor"])
        let id = try v.createRecord(["survivor_name": "Cut Journal", "incident_type": "rape"])
        try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
        try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
        let archive = v.root + "/last-week.hvbk"
        try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
        try v.expectOK(as: "intake", ["consent", "withdraw", id, "shelter"])
        try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
        try v.expectOK(as: "auditor", ["audit", "checkpoint"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: anchor + ".journal"))
        let lines = try Self.lines(anchor + ".journal")
        #expect(lines.count == 3, "\(lines)")

        // The police withdrawal cut off; a checkpoint later the tally still names it.
        try Self.write(Array(lines.dropLast()), to: anchor + ".journal")
        try v.expectOK(as: "auditor", ["audit", "checkpoint"])
        let refused = try v.haven(as: "intake", ["consent", "grant", id, "legal"])
        #expect(refused.status == 5 && refused.stderr.contains("anchor_unavailable") && refused.stderr.contains(".journal"), "\(refused)")
        #expect(v.daemonLog.contains("lines were removed from its end"), "logged critical, naming the journal")
        let drill = v.root + "/drill-cut"
        let cut = try Self.restore(v, archive, into: drill + "/vault", anchor: try Self.copyAnchor(anchor, into: drill), ["--accept-loss"])
        #expect(cut.status == 1 && cut.stderr.contains("lines were removed from its end"), "\(cut)")
        #expect(!FileManager.default.fileExists(atPath: drill + "/vault/haven.db"))

        // Put back from the copy: changes go through again.
        try whole.write(to: URL(fileURLWithPath: anchor + ".journal"))
        try v.expectOK(as: "intake", ["consent", "grant", id, "legal"])

        // Deleted: not made again with a fresh header, at a checkpoint or at the next act.
        unlink(anchor + ".journal")
        try v.expectOK(as: "auditor", ["audit", "checkpoint"])
        let gone = try v.haven(as: "intake", ["consent", "withdraw", id, "legal"])
        #expect(gone.status == 5 && gone.stderr.contains("anchor_unavailable") && gone.stderr.contains("missing"), "\(gone)")
        #expect(!FileManager.default.fileExists(atPath: anchor + ".journal"))
        try whole.write(to: URL(fileURLWithPath: anchor + ".journal"))
        try v.expectOK(as: "intake", ["consent", "withdraw", id, "legal"])
        _ = v.stop()

        // At restore: a missing tally (or journal) beside an existing anchor is refused, one
        // line naming the file, unless the operator says so.
        let bare = v.root + "/drill-bare"
        let bareAnchor = try Self.copyAnchor(anchor, into: bare)
        unlink(bareAnchor + ".tally")
        let noTally = try Self.restore(v, archive, into: bare + "/vault", anchor: bareAnchor, ["--accept-loss"])
        #expect(noTally.status == 1 && noTally.stderr.contains("anchor.json.tally is missing") && noTally.stderr.contains("--without-journal"),
                "\(noTally)")
        unlink(bareAnchor + ".journal")
        let noJournal = try Self.restore(v, archive, into: bare + "/vault", anchor: bareAnchor, ["--accept-loss"])
        #expect(noJournal.status == 1 && noJournal.stderr.contains("anchor.json.journal is missing"), "\(noJournal)")
        let confirmed = try Self.restore(v, archive, into: bare + "/vault", anchor: bareAnchor, ["--accept-loss", "--without-journal"])
        #expect(confirmed.status == 0, "\(confirmed)")
    }

    /// The same person deletes the journal and its tally together while havend is stopped:
    /// the data directory anchored with a tally before (its signed mark says so), so the next
    /// start makes neither again — changes are refused until they are put back.
    @Test func aJournalAndTallyDeletedTogetherWhileStoppedAreNotMadeAgain() throws {
        let anchor = EndToEnd.BackupTests.anchorPath()
        defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
        let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
        try v.start(extraArguments: ["--create-anchor"])
        let id = try v.createRecord(["survivor_name": "Deleted Journal", "incident_type": "rape"])
        try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
        try v.expectOK(as: "intake", ["consent", "withdraw", id, "police"])
        try v.expectOK(as: "auditor", ["audit", "checkpoint"])
        _ = v.stop()
        let journal = try Data(contentsOf: URL(fileURLWithPath: anchor + ".journal"))
        let tally = try Data(contentsOf: URL(fileURLWithPath: anchor + ".tally"))
        unlink(anchor + ".journal")
        unlink(anchor + ".tally")

        try v.start()
        try v.expectOK(as: "auditor", ["audit", "checkpoint"])
        let refused = try v.haven(as: "intake", ["consent", "grant", id, "legal"])
        #expect(refused.status == 5 && refused.stderr.contains("anchor_unavailable") && refused.stderr.contains(".tally is missing"),
                "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: anchor + ".journal") && !FileManager.default.fileExists(atPath: anchor + ".tally"),
                "neither made again")

        // Put back from the weekly copy: changes go through again.
        try journal.write(to: URL(fileURLWithPath: anchor + ".journal"))
        try tally.write(to: URL(fileURLWithPath: anchor + ".tally"))
        try v.expectOK(as: "intake", ["consent", "grant", id, "legal"])
    }

    /// A restore whose anchor cannot be rewritten discards the restored directory and leaves
    /// the tally as it was: the new one is put in place only after the anchor.
    @Test func aRestoreWhoseAnchorWriteFailsLeavesTheTallyAsItWas() throws {
        let anchor = EndToEnd.BackupTests.anchorPath()
        defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
        let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
        try v.start(extraArguments: ["--create-anchor"])
        let archive = v.root + "/vault.hvbk"
        try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
        _ = try v.createRecord(["survivor_name": "Made After", "incident_type": "rape"])
        _ = v.stop()
        let drill = v.root + "/drill"
        let drillAnchor = try Self.copyAnchor(anchor, into: drill)
        let tally = try Data(contentsOf: URL(fileURLWithPath: drillAnchor + ".tally"))
        // The anchor's temporary file cannot be made: its write fails after the vault is restored.
        try FileManager.default.createDirectory(atPath: drillAnchor + ".new", withIntermediateDirectories: false)
        let r = try Self.restore(v, archive, into: drill + "/vault", anchor: drillAnchor, ["--accept-loss"])
        #expect(r.status == 1, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: drill + "/vault/haven.db"), "the restored directory is discarded")
        #expect(try Data(contentsOf: URL(fileURLWithPath: drillAnchor + ".tally")) == tally, "the tally is the one before")
        #expect(!FileManager.default.fileExists(atPath: drillAnchor + ".tally.new"))
    }
}
