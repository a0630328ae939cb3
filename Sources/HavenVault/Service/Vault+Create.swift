import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import NIOCore

extension Vault {
    /// `record.create`: validate against the schema, decide, seal every value under a new
    /// data key, and store the record with its audit entry in one transaction.
    public func createRecord(_ ctx: RequestContext, request: CreateRecordRequest) -> EventLoopFuture<RecordWriteResponse> {
        var record = RequestRecord(action: Action.recordCreate.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<RecordWriteResponse> in
            let user = try currentUser(ctx)
            record.identify(user)
            let policy = policies.policy
            let type = try policy.recordType(named: request.type)
            record.event.detail["type"] = type.name.rawValue
            let values = try validatedValues(request.fields, of: type, requireAll: true)
            record.event.written = values.map(\.0.name.rawValue)
            let assignees = try (request.assign ?? []).map { (raw) throws(HavenError) -> EnrolledUser in try activeUser(raw) }
            let now = clock.now()
            let subject = subject(of: user)
            let decision = policy.decide(AccessRequest(subject: subject, action: .recordCreate, recordType: type,
                                                       fields: values.map(\.0.name), now: now))
            record.note(decision)
            guard decision.allowed else { throw denial(decision) }
            // A record takes its creator's agency; one the policy no longer lists takes none.
            try policy.agencies.check(user.agency, what: "the agency of \(user.name), who would create the record")
            if !assignees.isEmpty {
                // Assigning at creation is an assignment of the new record: decided as one.
                let newRecord = RecordFacts(id: RecordID(bytes: [UInt8](repeating: 0, count: 16)), type: type, agency: user.agency,
                                            assignees: [], consent: ConsentState(), notes: [], presentFields: [])
                for assignee in assignees {
                    let assign = policy.decide(AccessRequest(subject: subject, action: .recordAssign, record: newRecord,
                                                             assigneeRole: assignee.role, now: now))
                    guard assign.allowed else {
                        record.note(assign)
                        throw denial(assign)
                    }
                }
                record.event.detail["assigned"] = assignees.map(\.name.rawValue).joined(separator: ",")
            }

            // Looked for before the record exists, so it never finds itself; created all
            // the same (two records of one survivor are for people to join, not to refuse).
            var findings = [String]()
            let duplicates = try possibleDuplicates(of: values, for: user, policy: policy, findings: &findings)
            if let duplicates {
                record.event.detail["possible_duplicates"] = duplicates.listed.map(\.id).joined(separator: ",")
                record.event.detail["duplicates_elsewhere"] = duplicates.elsewhereDetail
            }
            if !findings.isEmpty { record.event.detail["integrity"] = findings.joined(separator: "; ") }
            let answer = duplicates.map { PossibleDuplicates(records: $0.listed, elsewhere: $0.elsewhereCounts) }

            // Everything is sealed here, on the request's thread: a new record depends on no
            // stored state, so the writer only inserts rows.
            let id = RecordID(bytes: Random.bytes(16))
            record.event.record = id.rawValue
            record.event.detail["record_version"] = "1"
            let dataKey = DataKey.generate()
            let cipher = RecordCipher(vault: keys.vaultID, record: id, dataKey: dataKey, dataKeyVersion: 1)
            var versions = [FieldName: UInt64]()
            var sealed = [StoredField]()
            for (spec, value) in values {
                versions[spec.name] = 1
                sealed.append(StoredField(name: spec.name.rawValue, version: 1,
                                          ciphertext: cipher.sealField(spec.name, version: 1, value: value)))
            }
            let header = RecordHeader(id: id, type: type.name, agency: user.agency, createdAt: now, createdBy: user.name,
                                      assignees: assignees.map(\.name), fieldVersions: versions)
            let row = StoredRecord(id: id, type: type.name.rawValue, agency: user.agency.rawValue, status: header.status.rawValue,
                                   version: header.version, createdAt: now, updatedAt: now, dataKeyVersion: 1,
                                   wrappedKey: keys.dataKeys.wrap(dataKey, record: id, dataKeyVersion: 1),
                                   sealedHeader: cipher.sealHeader(header))
            let logger = self.logger
            let fields = sealed
            let searchRows = search.entries(values.map { ($0.0.name, $0.1) })
            // Tagged here, off the writer: the row is complete before the writer takes it.
            let state = keys.rows.record(row)
            var statisticsValues = [FieldName: String]()
            for (spec, value) in values where spec.stats != nil { statisticsValues[spec.name] = value }
            let statisticsRow = statistics.row(header, values: statisticsValues, rowTag: state, keys: keys)
            return change(ctx, record) { (tx, _) throws(HavenError) -> RecordWriteResponse in
                try storeCall(logger) {
                    try RecordTable.insert(row, on: tx.db)
                    for field in fields { try RecordTable.putField(id, field, on: tx.db) }
                    try RecordTable.setAssignees(id, header.assignees, on: tx.db)
                    try SearchIndexTable.insert(id, searchRows, on: tx.db)
                    try StatisticsTable.put(id, statisticsRow, on: tx.db)
                }
                tx.wrote(.record(id), state)
                return RecordWriteResponse(id: id.rawValue, version: header.version, possibleDuplicates: answer)
            }.map(\.value)
        }
    }

    /// Checks names and values against the record type; errors name the field, never the value.
    func validatedValues(_ fields: [String: String], of type: RecordType, requireAll: Bool) throws(HavenError) -> [(FieldSpec, String)] {
        var out = [(FieldSpec, String)]()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let spec = try type.field(named: name)
            try FieldValueRules.check(value, what: "field '\(spec.name)'")
            try spec.validate(value)
            out.append((spec, value))
        }
        if requireAll, let missing = type.fields.first(where: { $0.required && fields[$0.name.rawValue] == nil }) {
            throw HavenError(.missingField, "field '\(missing.name)' is required for \(type.name)")
        }
        guard !out.isEmpty || requireAll else {
            throw HavenError(.badRequest, "no fields to write")
        }
        return out
    }

    func activeUser(_ raw: String) throws(HavenError) -> EnrolledUser {
        guard let name = try? UserName(raw), let user = users.user(named: name), user.isActive else {
            throw HavenError(.invalidValue, "no active user '\(NameRules.printable(raw))'")
        }
        return user
    }
}
