import Foundation
import HavenProcess
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The README's weekly copy of the anchor files, run as written, on every set of anchor
    /// files an anchor directory can hold: it copies what is there and fails on none of them.
    @Suite struct ReadmeAnchorCopyTests {
        static let anchorDirectory = "/var/lib/haven-anchor", backupDirectory = "/media/backup"

        /// The `cp` line of the README's weekly step.
        static func weeklyCopy() throws -> String {
            let readme = try String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)
            let line = readme.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("cp \(anchorDirectory)/") && $0.hasSuffix("\(backupDirectory)/") }
            return try #require(line, "the README's weekly step copies the anchor files")
        }

        @Test(arguments: [["anchor.json"], ["anchor.json", "anchor.json.journal"],
                          ["anchor.json", "anchor.json.journal", "anchor.json.tally"], ["anchor.json", "anchor.json.erasures"]])
        func theWeeklyCopyTakesWhateverAnchorFilesExist(files: [String]) throws {
            let root = TemporaryDirectory("haven-anchor-copy")
            defer { root.remove() }
            let (anchor, backup) = (root.file("anchor"), root.file("backup"))
            for dir in [anchor, backup] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false) }
            for f in files { FileManager.default.createFile(atPath: anchor + "/" + f, contents: Data(f.utf8)) }
            let command = try Self.weeklyCopy().replacingOccurrences(of: Self.anchorDirectory, with: anchor)
                .replacingOccurrences(of: Self.backupDirectory, with: backup)
            let r = try Command.run("/bin/sh", ["-e", "-c", command])
            #expect(r.status == 0, "\(command): \(r)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: backup).sorted() == files.sorted())
        }
    }
}
