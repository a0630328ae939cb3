import ArgumentParser
import HavenAPI
import HavenClient

/// `haven record erase ID --reason CODE [--reference REF]`: a survivor's record destroyed for good.
struct RecordErase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase a record for good (crypto-shredding): its key and every value are destroyed.",
        discussion: """
            Needs record.erase (intake, for its agency's records, in the shipped policy). The record's \
            data key, fields, notes and consent history are deleted, and their bytes overwritten in \
            the database and its WAL before the answer; afterwards the record answers 'erased' \
            (exit 4) with the date to the roles that could have read it, and as an id that never \
            existed to everyone else. Its audit history stays, and the reason is written into it: \
            a code of policy/erasure.yaml (survivor_request, retention_ended, court_order, \
            entered_in_error in the shipped policy) and, with --reference, a court order's number \
            or a request's ticket (letters, digits and / . - _ :, no spaces). Copies of the data \
            directory made before the erasure still hold the record, sealed under its key, until \
            they are destroyed.
            """)

    @Argument(help: "Record id.") var id: String
    @Option(help: ArgumentHelp("Why the record is erased: a reason code of policy/erasure.yaml (e.g. survivor_request).",
                               valueName: "code"))
    var reason: String
    @Option(help: ArgumentHelp("A reference for the reason (e.g. a court order's number; required for court_order).",
                               valueName: "ref"))
    var reference: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let r: EraseRecordResponse = try await connection.withClient {
            try await $0.post("/v1/records/\(HavenClient.escape(id))/erase", EraseRecordRequest(reason: reason, reference: reference))
        }
        if output.json { Output.json(r); return }
        Output.line("erased \(r.id) at \(r.erasedAt): nothing of it can be read any more; its audit history remains")
    }
}
