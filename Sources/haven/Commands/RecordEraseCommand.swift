import ArgumentParser
import HavenAPI
import HavenClient

/// `haven record erase ID --reason TEXT`: a survivor's record destroyed for good.
struct RecordErase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase a record for good (crypto-shredding): its key and every value are destroyed.",
        discussion: """
            Needs record.erase (intake, for its agency's records, in the shipped policy). The record's \
            data key, fields, notes and consent history are deleted, and their bytes overwritten in \
            the database and its WAL before the answer; afterwards the record answers 'erased' \
            (exit 4) with when and by whom. Its audit history stays, and the reason is written \
            into it (at least 20 letters or digits): never write survivor details into the reason. \
            Copies of the data directory made before the erasure still hold the record, sealed under \
            its key, until they are destroyed.
            """)

    @Argument(help: "Record id.") var id: String
    @Option(help: ArgumentHelp("Why the record is erased (e.g. the survivor's request of a date).", valueName: "text"))
    var reason: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: EraseRecordResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/erase", EraseRecordRequest(reason: reason))
        }
        if output.json { Output.json(r); return }
        Output.line("erased \(r.id) at \(r.erasedAt): nothing of it can be read any more; its audit history remains")
    }
}
