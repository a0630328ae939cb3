import HavenCore
import HavenCrypto

/// The answer to a record read: released values still in wipeable buffers, so the JSON
/// is written straight from them and no unwipeable copy is made on the way out.
public struct RecordReadResult: Sendable {
    public struct Note: Sendable {
        public let metadata: NoteMetadata
        public let text: PlaintextBuffer
    }

    public let id: RecordID
    public let type: RecordTypeName
    public let agency: AgencyName
    public let version: UInt64
    /// Released fields in schema order; nil when the field holds no value.
    public let fields: [(FieldName, PlaintextBuffer?)]
    public let withheld: [(field: String, reason: String)]
    public let notes: [Note]
    public let withheldNotes: [(index: UInt64, reason: String)]
    /// The record's note count, for a whole-record read (which pages its notes).
    public let notesTotal: UInt64?
    public let breakGlass: Bool
    public var auditSeq: UInt64 = 0
    /// The record's case number at the reader's agency, else at its own agency.
    public var caseNumber: String?
    /// Who works the record, for a whole-record read by its own agency; nil otherwise (as
    /// a listing, another agency never learns the names of the record's agency's staff).
    public var assignees: [String]?

    /// The JSON body (see ReadRecordResponse in HavenAPI for the shape), in memory wiped
    /// when the answer is released; no other copy of the values is left.
    public func json() -> PlaintextBuffer {
        // Reserve the worst case so the buffer never grows: growing would free an unwiped
        // copy of the values. Every string that goes in may escape each byte to six; each
        // item's keys, punctuation, index, class and time fit in 160 bytes.
        var strings = 0
        for (name, value) in fields { strings += name.rawValue.utf8.count + (value?.count ?? 0) }
        for w in withheld { strings += w.field.utf8.count + w.reason.utf8.count }
        for n in notes { strings += n.metadata.author.rawValue.utf8.count + n.text.count }
        for w in withheldNotes { strings += w.reason.utf8.count }
        for name in assignees ?? [] { strings += name.utf8.count + 3 }
        let capacity = 4096 + 6 * strings + 160 * (fields.count + withheld.count + notes.count + withheldNotes.count)
        var w = JSONWriter(capacity: capacity)
        w.object { o in
            o.field("id", id.rawValue)
            o.field("type", type.rawValue)
            o.field("agency", agency.rawValue)
            if let caseNumber { o.field("case_number", caseNumber) }
            o.field("version", version)
            o.key("fields")
            o.object { f in
                for (name, value) in fields {
                    f.key(name.rawValue)
                    if let value { value.withUnsafeBytes { f.string(utf8: $0) } } else { f.null() }
                }
            }
            o.key("withheld")
            o.array { a in
                for w in withheld { a.object { x in x.field("field", w.field); x.field("reason", w.reason) } }
            }
            o.key("notes")
            o.array { a in
                for n in notes {
                    a.object { x in
                        x.field("index", n.metadata.index)
                        x.field("class", n.metadata.fieldClass.rawValue)
                        x.field("author", n.metadata.author.rawValue)
                        x.field("created_at", n.metadata.createdAt.rfc3339)
                        x.key("text")
                        n.text.withUnsafeBytes { x.string(utf8: $0) }
                    }
                }
            }
            o.key("withheld_notes")
            o.array { a in
                for w in withheldNotes { a.object { x in x.field("index", w.index); x.field("reason", w.reason) } }
            }
            if let notesTotal { o.field("notes_total", notesTotal) }
            if let assignees { o.field("assignees", strings: assignees) }
            o.field("break_glass", breakGlass)
            o.field("audit_seq", auditSeq)
        }
        assert(w.bytes.count <= capacity, "the answer outgrew its reservation and left an unwiped copy")
        var bytes = w.take()
        return PlaintextBuffer(taking: &bytes)
    }
}
