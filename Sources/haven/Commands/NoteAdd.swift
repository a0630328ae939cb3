import ArgumentParser
import HavenAPI
import HavenClient

struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Append case notes (never edited or removed).",
                                                    subcommands: [NoteAdd.self])
}

/// `haven note add ID --class CLASS --text TEXT`.
struct NoteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Append a note to a record.")

    @Argument(help: "Record id.") var id: String
    @Option(name: .customLong("class"), help: "The note's class (e.g. counselling, health, incident).") var noteClass: String
    @Option(help: "The note.") var text: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: RecordWriteResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/notes", AddNoteRequest(noteClass: noteClass, text: text))
        }
        if output.json { Output.json(r); return }
        Output.line("added a \(noteClass) note to \(r.id) (version \(r.version))")
    }
}
