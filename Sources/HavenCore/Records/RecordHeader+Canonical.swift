import Foundation

/// The header's canonical JSON, the plaintext that is sealed (FORMAT.md, "record header").
extension RecordHeader {
    public static let formatVersion = 1

    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.object { o in
            o.field("v", Self.formatVersion)
            o.field("id", id.rawValue)
            o.field("type", type.rawValue)
            o.field("agency", agency.rawValue)
            o.field("status", status.rawValue)
            o.field("version", version)
            o.field("created_at", createdAt.rfc3339)
            o.field("created_by", createdBy.rawValue)
            o.field("updated_at", updatedAt.rfc3339)
            o.field("updated_by", updatedBy.rawValue)
            o.field("assignees", strings: assignees.map(\.rawValue))
            o.key("fields")
            o.object { f in
                for (name, v) in fieldVersions.sorted(by: { $0.key < $1.key }) { f.field(name.rawValue, v) }
            }
            o.key("notes")
            o.array { a in
                for n in notes {
                    a.object { x in
                        x.field("index", n.index)
                        x.field("class", n.fieldClass.rawValue)
                        x.field("author", n.author.rawValue)
                        x.field("created_at", n.createdAt.rfc3339)
                    }
                }
            }
            o.key("consent")
            o.array { a in
                for e in consent.events {
                    a.object { x in
                        x.field("flag", e.flag.rawValue)
                        x.field("kind", e.kind.rawValue)
                        x.field("recorded_by", e.recordedBy.rawValue)
                        x.field("recorded_at", e.recordedAt.rfc3339)
                        x.field("evidence", e.evidence)
                        x.field("expires_at", e.expiresAt?.rfc3339)
                    }
                }
            }
        }
        return w.bytes
    }

    /// Parses a header opened from its ciphertext. Any malformation is an integrity failure:
    /// the bytes authenticated, so only a bug or a forged key could make them malformed.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw HavenError.integrity
        }
        guard wire.v == Self.formatVersion else { throw HavenError.integrity }
        var versions = [FieldName: UInt64]()
        for (k, v) in wire.fields {
            guard let name = try? FieldName(k) else { throw HavenError.integrity }
            versions[name] = v
        }
        self.init(id: wire.id, type: wire.type, agency: wire.agency, status: wire.status,
                  version: wire.version, createdAt: wire.created_at, createdBy: wire.created_by,
                  updatedAt: wire.updated_at, updatedBy: wire.updated_by, assignees: wire.assignees,
                  fieldVersions: versions, notes: wire.notes, consent: ConsentState(events: wire.consent))
    }

    private struct Wire: Decodable {
        let v: Int
        let id: RecordID
        let type: RecordTypeName
        let agency: AgencyName
        let status: RecordStatus
        let version: UInt64
        let created_at: Timestamp
        let created_by: UserName
        let updated_at: Timestamp
        let updated_by: UserName
        let assignees: [UserName]
        let fields: [String: UInt64]
        let notes: [NoteMetadata]
        let consent: [ConsentEvent]
    }
}
