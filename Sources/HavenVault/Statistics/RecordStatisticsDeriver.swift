import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore

/// Turns a record (its sealed header and the values of the fields a schema marks `stats:`)
/// into what it contributes to statistics, and seals that beside the record row's state.
/// Fixed at start from the policy, like the search index: the rows on disk were built for
/// one set of fields (`layout`), and a change of `stats:` keys rebuilds them as the
/// daemon next starts (`DerivedRowsRebuild`).
struct RecordStatisticsDeriver: Sendable {
    /// For each record type, the field giving each statistics use.
    let fields: [RecordTypeName: [StatisticsUse: FieldName]]
    /// Names the fields the rows are built from, with the format: a new one rebuilds them.
    let layout: String

    init(policy: Policy) {
        var fields = [RecordTypeName: [StatisticsUse: FieldName]]()
        var parts = [String]()
        for (name, type) in policy.recordTypes {
            for spec in type.fields {
                guard let use = spec.stats else { continue }
                fields[name, default: [:]][use] = spec.name
                parts.append("\(name).\(use.rawValue)=\(spec.name)")
            }
        }
        self.fields = fields
        layout = "statistics/v1;" + parts.sorted().joined(separator: ",")
    }

    /// The fields of `type` whose values a record's statistics need.
    func fieldNames(of type: RecordTypeName) -> Set<FieldName> {
        Set(fields[type]?.values.map { $0 } ?? [])
    }

    func derive(_ header: RecordHeader, values: [FieldName: String]) -> RecordStatistics {
        let uses = fields[header.type] ?? [:]
        func value(_ use: StatisticsUse) -> String? { uses[use].flatMap { values[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
        let created = header.createdAt.date
        // The month of the reporting date the schema names, else of the record's creation.
        let reported = value(.month).flatMap { ReportingMonth($0) != nil ? $0 : nil } ?? created
        // A creation date outside 1900-2100 cannot be (the header is sealed when it is set).
        let month = ReportingMonth(reported) ?? ReportingMonth(created) ?? ReportingMonth(year: 1900, month: 1)!
        var out = [StatisticsDimension: String]()
        out[.recordType] = header.type.rawValue
        out[.agency] = header.agency.rawValue
        out[.ageGroup] = AgeGroup.of(birth: value(.ageGroup), at: reported).rawValue
        out[.incidentType] = value(.incidentType)
        out[.province] = value(.province)
        out[.sex] = value(.sex)
        out[.perpetratorRelationship] = value(.perpetratorRelationship)
        let (granted, expires) = Self.consent(header)
        return RecordStatistics(month: month, consent: granted, consentExpires: expires,
                                reportedElsewhere: value(.reportedElsewhere) == "yes", values: out)
    }

    /// The statistics consent the header's latest event of that flag gives, and its expiry:
    /// whether it still holds is decided by each query, at its own time.
    static func consent(_ header: RecordHeader) -> (granted: Bool, expires: Int64?) {
        guard let event = header.consent.latest[.statistics], event.kind == .grant else { return (false, nil) }
        return (true, event.expiresAt?.millisecondsSinceEpoch)
    }

    /// A record's previous statistics with the consent its header now carries: what a
    /// change that wrote none of the `stats:` fields makes of them.
    func row(updating previous: RecordStatistics, _ header: RecordHeader, rowTag: Tag16, keys: VaultKeys) -> StoredStatistics {
        var next = previous
        (next.consent, next.consentExpires) = Self.consent(header)
        next.values[.agency] = header.agency.rawValue
        next.values[.recordType] = header.type.rawValue
        let sealed = keys.statistics.seal(next.encoded(), record: header.id, rowTag: rowTag)
        return StoredStatistics(rowTag: rowTag.withUnsafeBytes { Array($0) }, sealed: sealed)
    }

    /// The row to store beside a record row whose state tag is `rowTag`.
    func row(_ header: RecordHeader, values: [FieldName: String], rowTag: Tag16, keys: VaultKeys) -> StoredStatistics {
        let sealed = keys.statistics.seal(derive(header, values: values).encoded(), record: header.id, rowTag: rowTag)
        return StoredStatistics(rowTag: rowTag.withUnsafeBytes { Array($0) }, sealed: sealed)
    }
}
