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
    /// Read on every request that touches a record, so with `JSONValue`, not `JSONDecoder`.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        guard let json = JSONValue.parse(bytes), json["v"]?.int == Self.formatVersion,
              let version = json["version"]?.uint64,
              let statusText = json["status"]?.string, let status = RecordStatus(rawValue: statusText),
              let assigneeList = json["assignees"]?.array, let fieldList = json["fields"]?.members,
              let noteList = json["notes"]?.array, let consentList = json["consent"]?.array else {
            throw HavenError.integrity
        }
        var versions = [FieldName: UInt64]()
        for (k, v) in fieldList {
            guard let v = v.uint64 else { throw HavenError.integrity }
            versions[try Self.name(k, FieldName.init)] = v
        }
        var notes = [NoteMetadata]()
        for n in noteList {
            guard let index = n["index"]?.uint64, let c = n["class"]?.string, let fieldClass = FieldClass(rawValue: c) else {
                throw HavenError.integrity
            }
            notes.append(NoteMetadata(index: index, fieldClass: fieldClass, author: try Self.name(n["author"], UserName.init),
                                      createdAt: try Self.time(n["created_at"])))
        }
        var events = [ConsentEvent]()
        for e in consentList {
            guard let f = e["flag"]?.string, let flag = ConsentFlag(rawValue: f),
                  let k = e["kind"]?.string, let kind = ConsentEvent.Kind(rawValue: k),
                  let evidence = e["evidence"], evidence.isNull || evidence.string != nil,
                  let expires = e["expires_at"] else {
                throw HavenError.integrity
            }
            events.append(ConsentEvent(flag: flag, kind: kind, recordedBy: try Self.name(e["recorded_by"], UserName.init),
                                       recordedAt: try Self.time(e["recorded_at"]), evidence: evidence.string,
                                       expiresAt: expires.isNull ? nil : try Self.time(expires)))
        }
        self.init(id: try Self.name(json["id"], RecordID.init), type: try Self.name(json["type"], RecordTypeName.init),
                  agency: try Self.name(json["agency"], AgencyName.init), status: status, version: version,
                  createdAt: try Self.time(json["created_at"]), createdBy: try Self.name(json["created_by"], UserName.init),
                  updatedAt: try Self.time(json["updated_at"]), updatedBy: try Self.name(json["updated_by"], UserName.init),
                  assignees: try assigneeList.map { (a) throws(HavenError) -> UserName in try Self.name(a, UserName.init) },
                  fieldVersions: versions, notes: notes, consent: ConsentState(events: events))
    }

    private static func name<N>(_ value: JSONValue?, _ make: (String) throws(HavenError) -> N) throws(HavenError) -> N {
        guard let text = value?.string else { throw HavenError.integrity }
        return try name(text, make)
    }

    private static func name<N>(_ text: String, _ make: (String) throws(HavenError) -> N) throws(HavenError) -> N {
        do {
            return try make(text)
        } catch {
            throw HavenError.integrity
        }
    }

    private static func time(_ value: JSONValue?) throws(HavenError) -> Timestamp {
        guard let text = value?.string, let t = Timestamp(parsing: text) else { throw HavenError.integrity }
        return t
    }
}
