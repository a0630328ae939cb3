import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore
import Logging

/// Fills a vault quickly, for benchmarks: the same rows the daemon would write (records
/// sealed under their own data keys, audit entries chained and checkpointed), but many per
/// transaction and without a daemon. Never used by havend: outside this module it is
/// visible only to code that imports `@_spi(Bench) import HavenVault` (haven-bench).
@_spi(Bench)
public final class VaultSeeder {
    let directory: DataDirectory
    let db: Connection
    let keys: VaultKeys
    var chain: AuditChain
    var lastCheckpoint: UInt64

    public init(directory: DataDirectory) throws {
        self.directory = directory
        db = try Database.open(path: directory.databasePath)
        // A seeded vault is thrown away if seeding is interrupted, so no fsync per batch; and
        // a large page cache, because random record ids touch pages all over every B-tree.
        try db.execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
        keys = try VaultKeys.open(root: try RootKeyCustody.readFile(directory), meta: try VaultMetaTable.read(on: db),
                                  what: "the root key in \(directory.rootKeyPath)")
        chain = try AuditState.load(on: db)
        lastCheckpoint = chain.size
    }

    /// Appends `count` realistic audit entries (record reads by several users), with a
    /// signed checkpoint every `checkpointEvery` entries, as the daemon does.
    public func appendAuditEntries(_ count: Int, checkpointEvery: UInt64 = 1000, batch: Int = 20_000) throws {
        var done = 0
        var t = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)
        while done < count {
            try inTransaction {
                for _ in 0..<min(batch, count - done) {
                    let n = chain.size
                    let event = AuditEvent(
                        action: "record.read",
                        actor: .init(user: "counsellor-\(n % 40)", role: "counsellor", agency: "ossc-vientiane"),
                        peer: .init(uid: 1000, pid: Int32(n % 30_000)), record: RecordID(bytes: Random.bytes(16)).rawValue,
                        released: ["survivor_name", "phone", "incident_type", "counselling_notes"],
                        withheld: [.init(field: "health_notes", reason: "class health not permitted for role counsellor")],
                        purpose: "weekly counselling session", decision: .allow,
                        rule: "role counsellor may record.read on records in its reach (assigned)",
                        consent: ["counselling": "granted"], policyVersion: String(repeating: "ab", count: 32))
                    t = t.adding(milliseconds: 7)
                    try appendAudited(event, at: t, checkpointEvery: checkpointEvery, link: .unchained)
                    done += 1
                }
            }
        }
        try finishWithCheckpoint(at: t)
    }

    /// Enrols users directly, each with the audit entry `user.add` the daemon would write.
    public func enrol(_ users: [EnrolledUser], by admin: UserName) throws {
        try inTransaction {
            for user in users {
                try UserTable.insert(user, on: db)
                let userState: (StateKey, Tag16) = (.user(user.name), keys.rows.user(user))
                let event = AuditEvent(
                    action: "user.add", actor: .init(user: admin.rawValue, role: "admin", agency: "haven"),
                    peer: .init(uid: 0, pid: 1), decision: .allow, rule: "role admin may user.manage",
                    detail: ["user": user.name.rawValue, "role": user.role.rawValue, "agency": user.agency.rawValue])
                try appendAudited(event, at: user.createdAt, state: userState)
            }
        }
    }

    /// Creates `count` gbv_incident records as `creator` would through the daemon: sixteen
    /// realistic field values sealed under a fresh data key per record, the counselling
    /// consent granted with evidence (and, for four in five, the statistics consent), assigned
    /// round-robin to `assignees`, their search index rows for the fields `policy` marks
    /// searchable, their statistics rows, and for each the audit entries of its creation and
    /// its consent grant. Returns the ids in order.
    public func createRecords(_ count: Int, creator: EnrolledUser, assignees: [UserName], policy: Policy,
                              batch: Int = 10_000) throws -> [RecordID] {
        let policyVersion = policy.version
        let search = SearchIndexer(policy: policy, keys: keys)
        let statistics = RecordStatisticsDeriver(policy: policy)
        // Every record has its agency's case number, or havend refuses to start on the vault.
        let numbers = CaseNumbers(keys: keys, logger: Logger(label: "haven.seeder"))
        try inTransaction {
            try SearchIndexTable.setLayout(search.layout, on: db)
            try StatisticsTable.setLayout(statistics.layout, on: db)
        }
        var ids = [RecordID]()
        ids.reserveCapacity(count)
        let type = try RecordTypeName("gbv_incident")
        let actor = AuditEvent.Actor(user: creator.name.rawValue, role: creator.role.rawValue, agency: creator.agency.rawValue)
        var t = SystemClock().now()
        while ids.count < count {
            t = SystemClock().now()
            try inTransaction {
                for _ in 0..<min(batch, count - ids.count) {
                    let n = ids.count
                    let id = RecordID(bytes: Random.bytes(16))
                    let values = Self.sampleValues(n)
                    let dataKey = DataKey.generate()
                    let cipher = RecordCipher(vault: keys.vaultID, record: id, dataKey: dataKey, dataKeyVersion: 1)
                    var versions = [FieldName: UInt64]()
                    var sealed = [StoredField]()
                    for (name, value) in values {
                        let field = try FieldName(name)
                        versions[field] = 1
                        sealed.append(StoredField(name: name, version: 1, ciphertext: cipher.sealField(field, version: 1, value: value)))
                    }
                    var consent = ConsentState()
                    consent.append(ConsentEvent(flag: .counselling, kind: .grant, recordedBy: creator.name, recordedAt: t,
                                                evidence: "sha256:" + String(repeating: "5e", count: 32)))
                    // Four in five survivors agree to be counted.
                    let counted = n % 5 != 0
                    if counted {
                        consent.append(ConsentEvent(flag: .statistics, kind: .grant, recordedBy: creator.name, recordedAt: t,
                                                    evidence: "sha256:" + String(repeating: "5e", count: 32)))
                    }
                    let assigned = assignees.isEmpty ? [] : [assignees[n % assignees.count]]
                    var header = RecordHeader(id: id, type: type, agency: creator.agency, createdAt: t, createdBy: creator.name,
                                              assignees: assigned, fieldVersions: versions, consent: consent)
                    header.version = 2  // created, then its consent recorded
                    let row = StoredRecord(
                        id: id, type: type.rawValue, agency: creator.agency.rawValue, status: header.status.rawValue,
                        version: header.version, createdAt: t, updatedAt: t, dataKeyVersion: 1,
                        wrappedKey: keys.dataKeys.wrap(dataKey, record: id, dataKeyVersion: 1),
                        sealedHeader: cipher.sealHeader(header))
                    try RecordTable.insert(row, on: db)
                    try numbers.assign(id, agency: creator.agency, policy: policy, at: t, on: db)
                    for field in sealed { try RecordTable.putField(id, field, on: db) }
                    try RecordTable.setAssignees(id, header.assignees, on: db)
                    try SearchIndexTable.insert(id, search.entries(try values.map { (try FieldName($0.0), $0.1) }, agency: creator.agency.rawValue), on: db)
                    var statisticsValues = [FieldName: String]()
                    for (name, value) in values { statisticsValues[try FieldName(name)] = value }
                    try StatisticsTable.put(id, statistics.row(header, values: statisticsValues, rowTag: keys.rows.record(row), keys: keys),
                                            on: db)
                    try appendAudited(AuditEvent(
                        action: "record.create", actor: actor, peer: .init(uid: 1000, pid: 4242), record: id.rawValue,
                        written: values.map(\.0), decision: .allow,
                        rule: "role \(creator.role) may record.create", policyVersion: policyVersion,
                        detail: ["type": type.rawValue, "record_version": "1",
                                 "assigned": assigned.map(\.rawValue).joined(separator: ",")]), at: t, link: .unchained)
                    try appendAudited(AuditEvent(
                        action: "consent.record", actor: actor, peer: .init(uid: 1000, pid: 4242), record: id.rawValue,
                        decision: .allow, rule: "role \(creator.role) may consent.record", policyVersion: policyVersion,
                        detail: ["flag": counted ? "counselling,statistics" : "counselling", "kind": "grant",
                                 "record_version": "2"]), at: t,
                        state: (.record(id), keys.rows.record(row)), link: .first)
                    ids.append(id)
                }
            }
        }
        try finishWithCheckpoint(at: t)
        return ids
    }

    /// Field values of the n-th seeded record: realistic lengths, Lao and Vietnamese text;
    /// every name different, dates of birth spread over 45 years; intakes over 2025, in the
    /// 18 Lao provinces (Vientiane Capital most), one in fifty already reported elsewhere.
    public static func sampleValues(_ n: Int) -> [(String, String)] {
        let month = n % 12 + 1
        let provinces = ["la-vientiane-capital", "la-vientiane-capital", "la-vientiane-capital", "la-luang-prabang", "la-savannakhet",
                         "la-champasak", "la-phongsaly", "la-luang-namtha", "la-oudomxay", "la-bokeo", "la-houaphanh", "la-xayaboury",
                         "la-xiengkhouang", "la-vientiane", "la-bolikhamxay", "la-khammouane", "la-salavan", "la-sekong", "la-attapeu",
                         "la-xaisomboun"]
        let relationships = ["intimate_partner", "intimate_partner", "former_partner", "family_member", "friend_neighbour", "employer",
                             "stranger", "unknown"]
        return [("intake_date", "2025-\(month < 10 ? "0" : "")\(month)-1\(n % 10)"), ("caseworker_code", "CW-\(n % 977)"),
         ("survivor_name", "ນາງ ສົມພອນ \(n)"), ("date_of_birth", sampleBirthDate(n)), ("sex", n % 11 == 0 ? "male" : "female"),
         ("nationality", "Lao"), ("province", provinces[(n / 7) % provinces.count]),
         ("reported_elsewhere", n % 50 == 0 ? "yes" : "no"),
         ("phone", "+856 20 \(55_000_000 + n % 9_999_999)"), ("address", "Ban Nongbone, Xaysettha, Vientiane, house \(n % 400)"),
         ("incident_type", ["rape", "sexual_assault", "physical_assault", "forced_marriage"][n % 4]),
         ("incident_date", "2026-0\(1 + n % 9)-0\(1 + n % 9)"),
         ("incident_description", "Người sống sót kể lại sự việc xảy ra gần chợ vào buổi tối; hồ sơ số \(n). "
             + String(repeating: "Chi tiết được ghi lại trong buổi phỏng vấn. ", count: 3)),
         ("perpetrator_relationship", relationships[(n / 3) % relationships.count]),
         ("safe_contact", "Call her sister after 6 pm; never the home phone")]
    }

    /// The n-th seeded record's date of birth, 1960-01-01 to 2004-12-28.
    public static func sampleBirthDate(_ n: Int) -> String {
        let m = (n / 28) % 12 + 1, d = n % 28 + 1, y = 1960 + (n / 336) % 45
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// Appends one entry, and a signed checkpoint after every `checkpointEvery` entries.
    /// An entry about a record links as the daemon's would (`StateLedger.link`): its chain
    /// begins at the entry with the record's first state (the consent after each create), and
    /// an entry before it, or about an id that is no record, is `.unchained`.
    func appendAudited(_ event: AuditEvent, at t: Timestamp, checkpointEvery: UInt64 = 1000,
                       state: (StateKey, Tag16)? = nil, link: AuditRecordLink? = nil) throws {
        try AuditAppender.append(event, to: &chain, at: t, state: state, link: link, tags: keys.entries, on: db)
        if chain.size - lastCheckpoint >= checkpointEvery {
            _ = try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: t, on: db)
            lastCheckpoint = chain.size
        }
    }

    func finishWithCheckpoint(at t: Timestamp) throws {
        guard chain.size > lastCheckpoint else { return }
        try inTransaction {
            _ = try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: t, on: db)
        }
        lastCheckpoint = chain.size
    }

    /// One transaction, then every cached statement reset: a stepped SELECT left open would
    /// hold a read snapshot, and the WAL could then never be checkpointed (it grows without end).
    func inTransaction(_ body: () throws -> Void) throws {
        defer { db.resetStatements() }
        try db.transaction(body)
    }

    public var auditSize: UInt64 { chain.size }
    public var vaultPublicKey: PublicKey { keys.publicKey }
    public var vaultID: VaultID { keys.vaultID }
    public var entryTags: EntryAuthenticator { keys.entries }
}
