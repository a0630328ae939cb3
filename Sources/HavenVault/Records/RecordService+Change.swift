import HavenAPI
import HavenCore
import HavenPolicy
import HavenStore
import NIOCore

extension RecordService {
    /// `record.update`: new values get the next version of their field, sealed with it.
    public func update(_ ctx: RequestContext, id rawID: String, request: UpdateRecordRequest) -> EventLoopFuture<RecordWriteResponse> {
        pipeline.handle(Action.recordUpdate.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            guard !request.fields.isEmpty else { throw HavenError(.badRequest, "no fields to update") }
            entry.event.written = request.fields.keys.sorted()
            let subject = RequestPipeline.subject(of: user)
            let fields = request.fields
            let indexer = self.indexer
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                // Unknown names are caught by validation below, with the field named.
                AccessRequest(subject: subject, action: .recordUpdate, record: facts,
                              fields: fields.keys.sorted().compactMap { try? FieldName($0) }, now: now)
            }, apply: { (header, opened, _) throws(HavenError) -> RecordChange in
                var change = RecordChange()
                let values = try RecordValues.validated(fields, of: opened.type, requireAll: false)
                for (spec, value) in values {
                    let version = (header.fieldVersions[spec.name] ?? 0) + 1
                    header.fieldVersions[spec.name] = version
                    change.fields.append(StoredField(name: spec.name.rawValue, version: version,
                                                     ciphertext: opened.cipher.sealField(spec.name, version: version, value: value)))
                }
                change.searchFields = values.map(\.0.name).filter { indexer.fields[$0] != nil }.map(\.rawValue)
                change.searchRows = indexer.entries(values.map { ($0.0.name, $0.1) }, agency: header.agency.rawValue)
                for (spec, value) in values where spec.stats != nil { change.statisticsValues[spec.name] = value }
                return change
            }).map(\.value)
        }
    }

    /// `record.assign`: adds a user to the record's assignees.
    public func assign(_ ctx: RequestContext, id rawID: String, request: AssignRequest) -> EventLoopFuture<RecordWriteResponse> {
        pipeline.handle(Action.recordAssign.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let assignee = try pipeline.activeUser(request.user)
            entry.event.detail["assigned"] = assignee.name.rawValue
            let subject = RequestPipeline.subject(of: user)
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .recordAssign, record: facts, assigneeRole: assignee.role, now: now,
                              assigneeAgency: assignee.agency, assignee: assignee.name)
            }, apply: { (header, _, _) throws(HavenError) -> RecordChange in
                header.assign(assignee.name)
                return RecordChange(assigneesChanged: true)
            }).map(\.value)
        }
    }

    /// `record.unassign`: removes a user from the record's assignees, decided as `record.assign`
    /// (who may assign the user's role on the record may correct it). The header and the assignment index
    /// change in the writer's transaction with the entry, and every request decides on the
    /// header as it stands, so the removed user's reach ends at their next request.
    public func unassign(_ ctx: RequestContext, id rawID: String, request: AssignRequest) -> EventLoopFuture<RecordWriteResponse> {
        pipeline.handle(Self.unassignAction, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            // A leaver or a revoked user can be removed too: the name is looked for among the
            // record's assignees, not among the active users.
            guard let name = try? UserName(request.user) else {
                throw HavenError(.invalidValue, "'\(NameRules.printable(request.user))' is not a user name")
            }
            entry.event.detail["unassigned"] = name.rawValue
            let subject = RequestPipeline.subject(of: user)
            // Decided on the removed user as enrolled now: a role the caller may assign, or a
            // leaver (no role), or another agency's user (an assignment that reaches nothing).
            let current = pipeline.users.user(named: name).flatMap { $0.isActive ? $0 : nil }
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .recordAssign, record: facts, assigneeRole: current?.role, now: now,
                              assigneeAgency: current?.agency, removingAssignee: true, assignee: name)
            }, apply: { (header, _, _) throws(HavenError) -> RecordChange in
                guard header.unassign(name) else {
                    let listed = header.assignees.isEmpty ? "it has no assignees" : "its assignees: "
                        + header.assignees.map(\.rawValue).joined(separator: ", ")
                    throw HavenError(.invalidValue, "\(name) is not assigned to record \(id)", hint: listed)
                }
                return RecordChange(assigneesChanged: true)
            }).map(\.value)
        }
    }

    /// The audit action of a removal (the policy decides it as `record.assign`).
    static let unassignAction = "record.unassign"

    /// `note.add`: appends a sealed note; notes are never edited or removed.
    public func addNote(_ ctx: RequestContext, id rawID: String, request: AddNoteRequest) -> EventLoopFuture<RecordWriteResponse> {
        pipeline.handle(Action.noteAdd.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            guard let noteClass = FieldClass(rawValue: request.noteClass) else {
                throw HavenError(.invalidValue, "unknown note class '\(NameRules.printable(request.noteClass))'",
                                 hint: "one of: \(FieldClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            entry.event.detail["note_class"] = noteClass.rawValue
            try FieldValueRules.checkText(request.text, what: "note", maximum: HistoryLimits.noteCharacters)
            guard !request.text.isEmpty else { throw HavenError(.invalidValue, "the note is empty") }
            let subject = RequestPipeline.subject(of: user)
            let text = request.text
            let limits = historyLimits
            return changes.change(ctx, entry, id: id, user: user, request: { facts, now in
                AccessRequest(subject: subject, action: .noteAdd, record: facts, noteClass: noteClass, now: now)
            }, apply: { (header, opened, now) throws(HavenError) -> RecordChange in
                try limits.checkNote(after: header.noteCount)
                let meta = header.addNote(noteClass, by: subject.user, at: now)
                return RecordChange(note: (meta.index, opened.cipher.sealNoteMetadata(meta),
                                           opened.cipher.sealNote(index: meta.index, text: text)))
            }).map(\.value)
        }
    }
}
