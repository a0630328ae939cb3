import Foundation
import ArgumentParser
import HavenAPI
import HavenClient

struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Append case notes (never edited or removed).",
                                                    subcommands: [NoteAdd.self])
}

/// `haven note add ID --class CLASS (--text TEXT | --text - | --text-file FILE)`.
struct NoteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Append a note to a record.",
        discussion: "A note on the command line is visible to other local users (ps, shell history): prefer --text-file or --text - (stdin).")

    @Argument(help: "Record id.") var id: String
    @Option(name: .customLong("class"), help: "The note's class (e.g. counselling, health, incident).") var noteClass: String
    @Option(help: ArgumentHelp("The note; '-' reads it from stdin.", valueName: "text")) var text: String?
    @Option(help: ArgumentHelp("Read the note from this file ('-': stdin).", valueName: "file")) var textFile: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (text == nil) != (textFile == nil) else { throw ValidationError("give the note with exactly one of --text and --text-file") }
    }

    func run() async throws {
        var stdin = StdinUse()
        let note: String
        if let textFile {
            note = textFile == "-" ? try stdin.take(for: "the note") : try ValueInput.read(file: textFile, what: "the note")
        } else {
            note = text == "-" ? try stdin.take(for: "the note") : text ?? ""
        }
        let r: RecordWriteResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/notes", AddNoteRequest(noteClass: noteClass, text: note))
        }
        if output.json { Output.json(r); return }
        Output.line("added a \(noteClass) note to \(r.id) (version \(r.version))")
    }
}
