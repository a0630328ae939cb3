/// The header's canonical JSON, the plaintext that is sealed (HavenCrypto FORMAT.md, "record
/// header"). Format 3 is written for a record that has had a referral, format 2 for every
/// other (so a record without one keeps the bytes of the release before referrals); format
/// 1, which carried the whole history inline, is still read, so that a record of an earlier
/// release opens until its next change.
extension RecordHeader {
    public static let formatVersion = 3

    /// The format this header is sealed in.
    public var format: Int { referrals.isEmpty && referralEvents == 0 ? 2 : 3 }

    public func canonicalJSON() -> [UInt8] {
        // Sealing a format-1 header as format 2 before its history has rows would lose it.
        precondition(inlineHistory == nil, "a format-1 header's history must be moved into rows before it is sealed again")
        var w = JSONWriter(capacity: 1024)
        w.object { o in
            o.field("v", format)
            writeCommon(&o)
            o.field("notes", noteCount)
            o.key("consent")
            o.object { c in
                c.field("events", consent.count)
                c.key("latest")
                c.array { a in
                    for flag in ConsentFlag.allCases { consent.latest[flag]?.write(to: &a) }
                }
            }
            if format == 3 {
                o.key("referrals")
                o.object { r in
                    r.field("events", referralEvents)
                    r.key("latest")
                    r.array { a in for referral in referrals { referral.write(to: &a) } }
                }
            }
        }
        return w.bytes
    }

    private func writeCommon(_ o: inout JSONWriter) {
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
    }

    /// Parses a header opened from its ciphertext. Any malformation is an integrity failure:
    /// the bytes authenticated, so only a bug or a forged key could make them malformed.
    /// Read on every request that touches a record, so with `JSONValue`, not `JSONDecoder`.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        guard let json = JSONValue.parse(bytes), let format = json["v"]?.int, (1...3).contains(format),
              let version = json["version"]?.uint64,
              let statusText = json["status"]?.string, let status = RecordStatus(rawValue: statusText),
              let assigneeList = json["assignees"]?.array, let fieldList = json["fields"]?.members else {
            throw HavenError.integrity
        }
        var versions = [FieldName: UInt64](minimumCapacity: fieldList.count)
        for (k, v) in fieldList {
            guard let v = v.uint64 else { throw HavenError.integrity }
            versions[try CanonicalParsing.name(k, FieldName.init)] = v
        }
        let noteCount: UInt64
        let consent: ConsentState
        var inline: InlineHistory?
        var referrals = [Referral]()
        var referralEvents: UInt64 = 0
        if format == 1 {
            guard let noteList = json["notes"]?.array, let consentList = json["consent"]?.array else { throw HavenError.integrity }
            let notes = try noteList.map { (n) throws(HavenError) -> NoteMetadata in try NoteMetadata(json: n) }
            let events = try consentList.map { (e) throws(HavenError) -> ConsentEvent in try ConsentEvent(json: e) }
            // Format 1 numbered its notes 1, 2, 3 …; a gap would make the rows disagree.
            guard notes.enumerated().allSatisfy({ $0.element.index == UInt64($0.offset + 1) }) else { throw HavenError.integrity }
            noteCount = UInt64(notes.count)
            consent = ConsentState(history: events)
            inline = InlineHistory(notes: notes, consent: events)
        } else {
            guard let notes = json["notes"]?.uint64, let c = json["consent"], let events = c["events"]?.uint64,
                  let latestList = c["latest"]?.array else {
                throw HavenError.integrity
            }
            var latest = [ConsentFlag: ConsentEvent]()
            for e in latestList {
                let event = try ConsentEvent(json: e)
                guard latest.updateValue(event, forKey: event.flag) == nil else { throw HavenError.integrity }
            }
            guard UInt64(latest.count) <= events else { throw HavenError.integrity }
            noteCount = notes
            consent = ConsentState(latest: latest, count: events)
            if format == 3 {
                guard let r = json["referrals"], let count = r["events"]?.uint64, let list = r["latest"]?.array, !list.isEmpty else {
                    throw HavenError.integrity
                }
                referrals = try list.map { (x) throws(HavenError) -> Referral in try Referral(json: x) }
                // Each referral took at least one step (its creation), and names itself once.
                guard Set(referrals.map(\.id)).count == referrals.count, UInt64(referrals.count) <= count else {
                    throw HavenError.integrity
                }
                referralEvents = count
            }
        }
        self.init(id: try CanonicalParsing.name(json["id"], RecordID.init),
                  type: try CanonicalParsing.name(json["type"], RecordTypeName.init),
                  agency: try CanonicalParsing.name(json["agency"], AgencyName.init), status: status, version: version,
                  createdAt: try CanonicalParsing.time(json["created_at"]),
                  createdBy: try CanonicalParsing.name(json["created_by"], UserName.init),
                  updatedAt: try CanonicalParsing.time(json["updated_at"]),
                  updatedBy: try CanonicalParsing.name(json["updated_by"], UserName.init),
                  assignees: try assigneeList.map { (a) throws(HavenError) -> UserName in try CanonicalParsing.name(a, UserName.init) },
                  fieldVersions: versions, noteCount: noteCount, consent: consent, referrals: referrals,
                  referralEvents: referralEvents, inlineHistory: inline)
    }
}
