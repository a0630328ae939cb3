import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// GET and POST `/records/new`: a record made from the policy's schema, looked for among
/// existing records before it is saved, then created with the same call as `record create`.
enum NewRecordPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let labels = RecordWriteSupport.labels(desk)
        guard let raw = request.query["type"] else {
            return desk.page(title: desk.words("New record"), section: .newRecord,
                             body: NewRecordView.typeChoice(creatableTypes(desk), labels: labels, words: desk.words))
        }
        guard let type = creatableType(raw, desk) else { return unknownType(desk) }
        return form(type, state: .init(), desk)
    }

    static func submit(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let raw = request.form["type"], let type = creatableType(raw, desk) else { return unknownType(desk) }
        let fields = fillable(type, desk)
        let check = RecordFormCheck(form: request.form, fields: fields, requireRequired: true, words: desk.words)
        let canAssign = RecordWriteSupport.may(.recordAssign, desk)
        let assign = canAssign ? request.field("assign") : nil
        var state = NewRecordView.State(values: check.typed, errors: check.errors, assign: assign)
        guard check.isValid else { return form(type, state: state, desk, status: 400) }

        if request.form["confirm"] != "save-anyway" {
            do throws(HavenError) {
                if let found = try await DuplicateSearch.before(creating: check.values, of: type, desk) {
                    state.duplicates = found
                    return form(type, state: state, desk)
                }
            } catch {
                state.checkRefused = true
                state.notice = desk.refusal(error)
                return form(type, state: state, desk, status: RecordWriteSupport.status(of: error))
            }
        }

        do throws(HavenError) {
            let body = CreateRecordRequest(type: type.name.rawValue, fields: check.values, assign: assign.map { [$0] })
            let created: RecordWriteResponse = try await desk.vault.post("/v1/records", body)
            guard let id = try? RecordID(created.id) else { return .redirect("/records") }
            return .redirect(RecordWriteSupport.recordPage(id.rawValue))
        } catch {
            state.notice = desk.refusal(error)
            return form(type, state: state, desk, status: RecordWriteSupport.status(of: error))
        }
    }

    /// Every record type, when the role may create records at all (havend decides the fields).
    static func creatableTypes(_ desk: Desk) -> [String] {
        guard RecordWriteSupport.may(.recordCreate, desk) else { return [] }
        return desk.policy.recordTypes.keys.map(\.rawValue).sorted()
    }

    static func creatableType(_ raw: String, _ desk: Desk) -> RecordType? {
        guard creatableTypes(desk).contains(raw) else { return nil }
        return try? desk.policy.recordType(named: raw)
    }

    /// The fields the role may fill in when it creates a record, in the schema's order.
    static func fillable(_ type: RecordType, _ desk: Desk) -> [FieldSpec] {
        let classes = RecordWriteSupport.role(desk)?.create ?? []
        return type.fields.filter { classes.contains($0.fieldClass) }
    }

    static func form(_ type: RecordType, state: NewRecordView.State, _ desk: Desk, status: Int = 200) -> DeskResponse {
        let labels = RecordWriteSupport.labels(desk)
        let body = NewRecordView.form(type: type, fields: fillable(type, desk), state: state,
                                      canAssign: RecordWriteSupport.may(.recordAssign, desk), csrfField: desk.csrfField,
                                      labels: labels, words: desk.words)
        return desk.page(title: desk.words("New record: {type}", ["type": labels.recordType(type.name.rawValue)]),
                         section: .newRecord, body: body, status: status)
    }

    static func unknownType(_ desk: Desk) -> DeskResponse {
        let labels = RecordWriteSupport.labels(desk)
        let body: HTML = "<p class=\"refusal\" role=\"alert\">\(desk.words("Your role may not create this kind of record, or the policy has no such kind."))</p>"
            + NewRecordView.typeChoice(creatableTypes(desk), labels: labels, words: desk.words)
        return desk.page(title: desk.words("New record"), section: .newRecord, body: body, status: 404)
    }
}
