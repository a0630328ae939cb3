import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore

/// Turns a record (its sealed header and the values of the fields a schema marks `stats:`)
/// into what it contributes to statistics, and seals that beside the record row's state.
/// Fixed at start from the policy, like the search index: the rows on disk were built for
/// one set of fields (`layout`), and a change of `stats:` keys rebuilds them as the
/// daemon next starts (`RecordStatisticsBuild`).
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
        let month = ReportingMonth(reported) ?? ReportingMonth(created)!
        var out = [StatisticsDimension: String]()
        out[.recordType] = header.type.rawValue
        out[.agency] = header.agency.rawValue
        out[.ageGroup] = AgeGroup.of(birth: value(.ageGroup), at: reported).rawValue
        out[.incidentType] = value(.incidentType)
        out[.province] = value(.province)
        out[.sex] = value(.sex)
        out[.perpetratorRelationship] = value(.perpetratorRelationship)
        let consent = header.consent.latest[.statistics]
        let granted = consent?.kind == .grant
        // (row(updating:) above carries the same consent rule.)
        return RecordStatistics(month: month, consent: granted,
                                consentExpires: granted ? consent?.expiresAt?.millisecondsSinceEpoch : nil,
                                reportedElsewhere: value(.reportedElsewhere) == "yes", values: out)
    }

    /// A record's previous statistics with the consent its header now carries: what a
    /// change that wrote none of the `stats:` fields makes of them.
    func row(updating previous: RecordStatistics, _ header: RecordHeader, rowTag: Tag16, keys: VaultKeys) -> StoredStatistics {
        var next = previous
        let consent = header.consent.latest[.statistics]
        next.consent = consent?.kind == .grant
        next.consentExpires = next.consent ? consent?.expiresAt?.millisecondsSinceEpoch : nil
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
