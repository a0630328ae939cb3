import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// A record's history as sealed rows (HavenStore FORMAT.md, "record history"): reading one
/// page of notes or consent events, and moving a format-1 header's inline history into rows.
///
/// The sealed header counts the rows; each row's box binds its record and index. So a page
/// read is complete and in place or it is an integrity error: a deleted row is missed, a row
/// moved to another index or record fails to open, and nothing past the count is read.
struct HistoryRows {
    let record: OpenedRecord
    let db: Connection
    let logger: Logger

    /// One note of a page: its metadata, opened, and its text still sealed.
    struct Note {
        let metadata: NoteMetadata
        let sealedText: [UInt8]
    }

    /// The notes of `page`, oldest first.
    func notes(_ page: HistoryPage) throws(HavenError) -> [Note] {
        guard let range = page.indexes else { return [] }
        let id = record.header.id
        let stored = try storeCall(logger) { try HistoryTable.notes(of: id, in: range, on: db) }
        guard stored.map(\.index) == Array(range) else { throw missing("note", in: range, found: stored.map(\.index)) }
        let inline = record.header.inlineHistory?.notes
        var out = [Note]()
        out.reserveCapacity(stored.count)
        for row in stored {
            let metadata: NoteMetadata
            if let inline {
                // A format-1 header vouches for its notes' metadata itself.
                metadata = inline[Int(row.index) - 1]
            } else {
                guard let box = row.meta else { throw damaged("note", row.index) }
                let opened = box.withUnsafeBytes { b in
                    Result { () throws(HavenError) -> NoteMetadata in try record.cipher.openNoteMetadata(index: row.index, box: b) }
                }
                guard case .success(let m) = opened else { throw damaged("note", row.index) }
                metadata = m
            }
            out.append(Note(metadata: metadata, sealedText: row.ciphertext))
        }
        return out
    }

    /// The consent events of `page`, oldest first, each with its index.
    func consentEvents(_ page: HistoryPage) throws(HavenError) -> [(index: UInt64, event: ConsentEvent)] {
        guard let range = page.indexes else { return [] }
        if let inline = record.header.inlineHistory?.consent {
            return range.map { ($0, inline[Int($0) - 1]) }
        }
        let id = record.header.id
        let stored = try storeCall(logger) { try HistoryTable.consentEvents(of: id, in: range, on: db) }
        guard stored.map(\.index) == Array(range) else { throw missing("consent event", in: range, found: stored.map(\.index)) }
        var out = [(index: UInt64, event: ConsentEvent)]()
        out.reserveCapacity(stored.count)
        for row in stored {
            let opened = row.sealed.withUnsafeBytes { b in
                Result { () throws(HavenError) -> ConsentEvent in try record.cipher.openConsentEvent(index: row.index, box: b) }
            }
            guard case .success(let event) = opened else { throw damaged("consent event", row.index) }
            out.append((row.index, event))
        }
        return out
    }

    /// Gives every note of a format-1 header its sealed metadata and every consent event a
    /// row, in the writer's transaction, and clears the header's inline copy: the record's
    /// first change under this release. Costs one row per entry, once.
    static func moveInline(_ header: inout RecordHeader, cipher: RecordCipher, on db: Connection, logger: Logger) throws(HavenError) {
        guard let inline = header.inlineHistory else { return }
        let id = header.id
        for note in inline.notes {
            let meta = cipher.sealNoteMetadata(note)
            guard try storeCall(logger, { try HistoryTable.setNoteMeta(id, index: note.index, meta: meta, on: db) }) else {
                logger.error("a note the header lists has no row", metadata: ["record": "\(id)", "note": "\(note.index)"])
                throw HavenError.integrityFinding("note \(note.index) of record \(id) is missing")
            }
        }
        for (offset, event) in inline.consent.enumerated() {
            let index = UInt64(offset + 1)
            let sealed = cipher.sealConsentEvent(event, index: index)
            try storeCall(logger) { try HistoryTable.putConsentEvent(id, index: index, sealed: sealed, on: db) }
        }
        header.inlineHistory = nil
    }

    func missing(_ what: String, in range: ClosedRange<UInt64>, found: [UInt64]) -> HavenError {
        let gap = range.first { !found.contains($0) } ?? range.lowerBound
        logger.error("a history row the header counts is missing", metadata: ["record": "\(record.header.id)", "row": "\(what) \(gap)"])
        return HavenError.integrityFinding("\(what) \(gap) of record \(record.header.id) is missing")
    }

    func damaged(_ what: String, _ index: UInt64) -> HavenError {
        logger.error("a history row failed its integrity check", metadata: ["record": "\(record.header.id)", "row": "\(what) \(index)"])
        return HavenError.integrityFinding("\(what) \(index) of record \(record.header.id) failed its integrity check")
    }
}
