import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

extension RecordOpener {
    /// Opens exactly the fields and notes a decision released (`page`: the notes decided on),
    /// and no other: a value the decision withheld is never decrypted.
    func release(_ decision: Decision, of opened: OpenedRecord, notes page: [HistoryRows.Note] = [], notesTotal: UInt64? = nil,
                 on db: Connection) throws(HavenError) -> RecordReadResult {
        let stored = try storeCall(logger) { try RecordTable.fields(of: opened.header.id, on: db) }
        let byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var values = [(FieldName, PlaintextBuffer?)]()
        for name in decision.released {
            if opened.header.fieldVersions[name] == nil {
                values.append((name, nil))
            } else {
                values.append((name, try openField(name, of: opened, stored: byName)))
            }
        }
        var notes = [RecordReadResult.Note]()
        if !decision.releasedNotes.isEmpty {
            let byIndex = Dictionary(page.map { ($0.metadata.index, $0) }, uniquingKeysWith: { a, _ in a })
            for index in decision.releasedNotes {
                guard let note = byIndex[index] else { throw HavenError.integrity }
                let meta = note.metadata
                let text = note.sealedText.withUnsafeBytes { b in
                    Result { () throws(CryptoError) -> PlaintextBuffer in try opened.cipher.openNote(index: index, box: b) }
                }
                guard case .success(let plain) = text else {
                    logger.error("note failed its integrity check", metadata: ["record": "\(opened.header.id)", "note": "\(index)"])
                    throw HavenError.integrity
                }
                notes.append(.init(metadata: meta, text: plain))
            }
        }
        return RecordReadResult(
            id: opened.header.id, type: opened.header.type, agency: opened.header.agency, version: opened.header.version,
            fields: values, withheld: decision.withheld.map { ($0.field.rawValue, $0.reason) }, notes: notes,
            withheldNotes: decision.withheldNotes.map { ($0.index, $0.reason) }, notesTotal: notesTotal,
            breakGlass: decision.breakGlass)
    }
}
