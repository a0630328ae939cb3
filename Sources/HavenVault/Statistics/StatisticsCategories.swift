import HavenCore
import HavenPolicy
import HavenStats

/// The values each dimension is counted by, from the policy, with the labels people read
/// them by: the agencies and provinces as their files name them in English, Lao and
/// Vietnamese, the choices as the schemas list them with labels.yaml's labels, the record
/// types with their schemas' labels, GBVIMS's age groups. A record's value
/// outside these lists is counted as `not_recorded`, so no answer grows a category a
/// single record brought.
enum StatisticsCategories {
    static let notRecorded = Category(code: StatisticsDimension.notRecorded, en: "Not recorded", lo: "ບໍ່ໄດ້ບັນທຶກ", vi: "Không ghi nhận")

    /// `agenciesSeen`: the agencies of the counted records, listed when the policy has no
    /// agencies.yaml (agency names are not a survivor's data).
    static func of(_ policy: Policy, agenciesSeen: Set<String>) -> [StatisticsDimension: [Category]] {
        var out = [StatisticsDimension: [Category]]()
        let types = policy.recordTypes.values.sorted { $0.name.rawValue < $1.name.rawValue }
        out[.recordType] = types.map { category($0.name.rawValue, policy.labels.recordType($0.name.rawValue)) } + [notRecorded]
        if let agencies = policy.agencies.agencies {
            out[.agency] = agencies.values.sorted { $0.id.rawValue < $1.id.rawValue }.map {
                Category(code: $0.id.rawValue, en: $0.names["name_en"] ?? $0.id.rawValue, lo: $0.names["name_lo"], vi: $0.names["name_vi"])
            } + [notRecorded]
        } else {
            out[.agency] = agenciesSeen.sorted().map { Category(code: $0, en: $0) } + [notRecorded]
        }
        out[.province] = policy.provinces.map {
            Category(code: $0.code, en: $0.names["name_en"] ?? $0.code, lo: $0.names["name_lo"], vi: $0.names["name_vi"])
        } + [notRecorded]
        out[.ageGroup] = AgeGroup.allCases.map { group in
            group == .unknown ? Category(code: group.rawValue, en: "Unknown", lo: "ບໍ່ຮູ້", vi: "Không rõ")
                : Category(code: group.rawValue, en: group.rawValue, lo: group.rawValue + " ປີ", vi: group.rawValue + " tuổi")
        }
        let choices: [(StatisticsDimension, StatisticsUse)] = [(.incidentType, .incidentType), (.sex, .sex),
                                                               (.perpetratorRelationship, .perpetratorRelationship)]
        for (dimension, use) in choices {
            var codes = [String]()
            for type in types {
                for spec in type.fields where spec.stats == use {
                    if case .choice(let values) = spec.kind { for v in values where !codes.contains(v) { codes.append(v) } }
                }
            }
            out[dimension] = codes.map { category($0, policy.labels.value($0)) } + [notRecorded]
        }
        return out
    }

    static func category(_ code: String, _ label: LocalizedLabel) -> Category {
        Category(code: code, en: label.en, lo: label.lo, vi: label.vi)
    }
}
