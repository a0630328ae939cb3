import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// GET and POST `/records/:id/edit`: `record update` with only the fields that changed.
/// The form is filled from an audited read of just the fields the role may change; the
/// save reads them again, so a change someone else made meanwhile is seen (409) rather
/// than overwritten, and only the values the person changed are sent.
enum EditRecordPage {
    /// The purpose of the reads, kept in the audit log.
    static let purpose = "to change the record at the desk"

    /// The record as released for editing: its type, version, the editable fields havend
    /// released with their values, and how many it withheld.
    struct Editable {
        let type: RecordType
        let version: UInt64
        let fields: [FieldSpec]
        let values: [String: String]
        let withheld: Int
    }

    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        do throws(HavenError) {
            let record = try await read(id, typeHint: request.query["type"], desk)
            return form(id, record, values: record.values, errors: [:], notice: .empty, desk)
        } catch {
            return RecordWriteSupport.refusalPage(error, title: desk.words("Change the record"), recordID: id, desk)
        }
    }

    static func submit(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        let record: Editable
        do throws(HavenError) {
            record = try await read(id, typeHint: request.form["type"], desk)
        } catch {
            return RecordWriteSupport.refusalPage(error, title: desk.words("Change the record"), recordID: id, desk)
        }
        let check = RecordFormCheck(form: request.form, fields: record.fields, requireRequired: false, words: desk.words)
        var errors = check.errors
        for field in record.fields {
            let name = field.name.rawValue
            if (check.typed[name] ?? "").isEmpty, !(record.values[name] ?? "").isEmpty {
                errors[name] = desk.words("A recorded value cannot be removed here; write the correct value instead.")
            }
        }
        guard errors.isEmpty else { return form(id, record, values: check.typed, errors: errors, notice: .empty, desk, status: 400) }
        // Someone saved since this form was read: say so, keep what the person typed, and let
        // them look again before their values replace the new ones.
        guard request.form["version"] == String(record.version) else {
            let notice: HTML = "<div class=\"refusal\" role=\"alert\"><p>\(desk.words("Someone changed this record after you opened it. Nothing was saved."))</p><p class=\"hint\">\(desk.words("Check the record, then save your changes again if they are still right."))</p></div>"
            return form(id, record, values: check.typed, errors: [:], notice: notice, desk, status: 409)
        }
        let changed = check.values.filter { record.values[$0.key] != $0.value }
        guard !changed.isEmpty else { return .redirect(RecordWriteSupport.recordPage(id)) }
        do throws(HavenError) {
            let _: RecordWriteResponse = try await desk.vault.patch(RecordWriteSupport.apiPath(id), UpdateRecordRequest(fields: changed))
            return .redirect(RecordWriteSupport.recordPage(id))
        } catch {
            return form(id, record, values: check.typed, errors: [:], notice: desk.refusal(error), desk,
                        status: RecordWriteSupport.status(of: error))
        }
    }

    /// Reads only the fields the role may write: nothing else of the record is opened for an
    /// edit. havend takes field names of the record's own type only, and the type is known
    /// only from the record: each type's fields are asked in turn (the `type` hint of the
    /// query first), and a type the record is not answers unknown_field before anything is
    /// opened or released.
    static func read(_ id: String, typeHint: String? = nil, _ desk: Desk) async throws(HavenError) -> Editable {
        let writable = Set(RecordWriteSupport.role(desk)?.write.keys.map { $0 } ?? [])
        guard RecordWriteSupport.may(.recordUpdate, desk), !writable.isEmpty else {
            throw HavenError(.denied, desk.words("Your role may not change records."))
        }
        var types = desk.policy.recordTypes.values.sorted { $0.name.rawValue < $1.name.rawValue }
        if let hint = typeHint, let i = types.firstIndex(where: { $0.name.rawValue == hint }) { types.insert(types.remove(at: i), at: 0) }
        var lastError = HavenError(.denied, desk.words("Your role may not change records."))
        for type in types {
            let editable = type.fields.filter { writable.contains($0.fieldClass) }
            guard !editable.isEmpty else { continue }
            let r: ReadRecordResponse
            do throws(HavenError) {
                r = try await desk.vault.post(RecordWriteSupport.apiPath(id, "/read"),
                                              ReadRecordRequest(purpose: purpose, fields: editable.map(\.name.rawValue), breakGlass: nil))
            } catch where error.code == .unknownField {
                lastError = error
                continue
            }
            guard r.type == type.name.rawValue else { continue }
            let released = editable.filter { r.fields.keys.contains($0.name.rawValue) }
            var values = [String: String]()
            for field in released {
                if let value = r.fields[field.name.rawValue] ?? nil { values[field.name.rawValue] = value }
            }
            return Editable(type: type, version: r.version, fields: released, values: values, withheld: editable.count - released.count)
        }
        throw lastError
    }

    static func form(_ id: String, _ record: Editable, values: [String: String], errors: [String: String], notice: HTML,
                     _ desk: Desk, status: Int = 200) -> DeskResponse {
        let labels = RecordWriteSupport.labels(desk)
        let body = EditRecordView.render(recordID: id, type: record.type.name.rawValue, version: record.version, fields: record.fields, values: values,
                                         errors: errors, hiddenCount: record.withheld, notice: notice, csrfField: desk.csrfField,
                                         labels: labels, words: desk.words)
        return desk.page(title: EditRecordView.title(desk.words),
                         section: .records, body: body, status: status)
    }
}
