import HavenExtract
import HavenPolicy

extension ExtractLabels {
    /// The labels of `recordType`'s fields and choice values in `language`, from a policy
    /// directory read at rendering time (a province field's values by the provinces' names).
    init(_ policy: Policy, recordType: String, language: String) {
        var fields = [String: String](), values = [String: [String: String]]()
        let provinces = Dictionary(policy.provinces.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for spec in policy.recordTypes.first(where: { $0.key.rawValue == recordType })?.value.fields ?? [] {
            fields[spec.name.rawValue] = spec.labels.text(language)
            guard case .choice(let codes) = spec.kind else { continue }
            var byCode = [String: String]()
            for code in codes {
                if let province = provinces[code] {
                    byCode[code] = province.names["name_\(language)"] ?? province.names["name_en"] ?? code
                } else {
                    byCode[code] = policy.labels.value(code).text(language)
                }
            }
            values[spec.name.rawValue] = byCode
        }
        self.init(language: language, fields: fields, values: values)
    }
}
