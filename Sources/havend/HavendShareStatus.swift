import ArgumentParser
import Foundation
import HavenCore

/// `havend share-status`: the share set in force and each share file's state, from the data
/// directory alone (no daemon, no key). `haven operator status --data` becomes this command
/// (exec), as `haven init` becomes `havend init`: reading the database is the daemon
/// binary's, never the client's.
struct HavendShareStatus: HavendCommand {
    static let configuration = CommandConfiguration(
        commandName: "havend share-status",
        abstract: "Show which share set is in force in a data directory, and which share files are stale.",
        discussion: #"Errors are one line on stderr (with --json, {"error": {"code", "message"}}) and exit status 1."#)

    @Option(help: ArgumentHelp("The data directory (run as the daemon's user).", valueName: "dir"))
    var data: String
    @Option(help: ArgumentHelp("Check every share file (*.key) in this directory.", valueName: "dir"))
    var shareDir: String?
    @Argument(help: ArgumentHelp("Share files to check.", valueName: "file"))
    var files: [String] = []
    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        try reporting(json: json) {
            let report = try ShareReport(data: data, shareDir: shareDir, files: files)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                for line in report.lines { print(line) }
            }
        }
    }
}
