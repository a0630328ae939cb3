import HavenCore
import HavenCrypto

/// One file of a policy directory, as read from disk.
public struct PolicyFile: Sendable {
    /// Path relative to the policy directory, with `/` separators (e.g. `schema/gbv_incident.yaml`).
    public let path: String
    public let contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}

/// Turns the files of a policy directory into a validated `Policy`, or the first error
/// as `file:line: reason`. Pure: the same files always give the same policy and version.
public enum PolicyParser {
    public static func parse(_ files: [PolicyFile], displayPrefix: String = "") throws(PolicyError) -> Policy {
        var roles: [RoleName: RolePolicy]?
        var types = [RecordTypeName: RecordType]()
        var agencies: [AgencyName: Agency]?
        var statistics = StatisticsSettings()
        var referrals = [String: ReferralService]()
        var erasure = ErasureReasons.standard
        var labels: LabelsFileParser.Parsed?
        var schemaSites = [SchemaLabelSites]()
        // Read first: schema files take the values of province fields from it.
        var provinces: [Province]?
        if let file = files.first(where: { $0.path == "provinces.yaml" }) {
            guard let text = String(validating: file.contents, as: UTF8.self) else {
                throw PolicyError(file: displayPrefix + file.path, line: 1, reason: "not valid UTF-8")
            }
            provinces = try ProvincesFileParser(reader: YAMLReader(file: displayPrefix + file.path)).parse(text)
        }
        for file in files.sorted(by: { $0.path < $1.path }) where file.path != "provinces.yaml" {
            let shown = displayPrefix + file.path
            guard let text = String(validating: file.contents, as: UTF8.self) else {
                throw PolicyError(file: shown, line: 1, reason: "not valid UTF-8")
            }
            let reader = YAMLReader(file: shown)
            if file.path == "roles.yaml" {
                roles = try RolesFileParser(reader: reader).parse(text)
            } else if file.path == "agencies.yaml" {
                agencies = try AgenciesFileParser(reader: reader).parse(text)
            } else if file.path == "statistics.yaml" {
                statistics = try StatisticsFileParser(reader: reader).parse(text)
            } else if file.path == "referrals.yaml" {
                referrals = try ReferralsFileParser(reader: reader).parse(text)
            } else if file.path == "erasure.yaml" {
                erasure = try ErasureFileParser(reader: reader).parse(text)
            } else if file.path == "labels.yaml" {
                labels = try LabelsFileParser(reader: reader).parse(text)
            } else if file.path.hasPrefix("schema/"), file.path.hasSuffix(".yaml"),
                      !file.path.dropFirst("schema/".count).contains("/") {
                let base = String(file.path.dropFirst("schema/".count).dropLast(".yaml".count))
                let (type, sites) = try SchemaFileParser(reader: reader, expectedType: base, provinces: provinces).parseLabelled(text)
                types[type.name] = type
                schemaSites.append(sites)
            } else if file.path.hasSuffix(".md") {
                continue  // documentation beside the policy
            } else {
                throw PolicyError(file: shown, line: 1, reason: "unexpected file in the policy directory (expected roles.yaml, agencies.yaml, provinces.yaml, statistics.yaml, referrals.yaml, erasure.yaml, labels.yaml, schema/*.yaml or *.md)")
            }
        }
        guard let roles else {
            throw PolicyError(file: displayPrefix + "roles.yaml", line: 1, reason: "missing: every policy needs roles.yaml")
        }
        guard !types.isEmpty else {
            throw PolicyError(file: displayPrefix + "schema/", line: 1, reason: "missing: no record types in schema/*.yaml")
        }
        if let (field, pair) = Policy.searchConflict(types) {
            throw PolicyError(file: displayPrefix + "schema/\(pair[1]).yaml", line: 1,
                              reason: "field '\(field)' is searched differently in \(pair[0]) and \(pair[1]) (or searched in one only);"
                                  + " give it the same search key in both")
        }
        var policy = Policy(version: version(of: files), recordTypes: types, roles: roles, agencies: AgencyList(agencies),
                            provinces: provinces ?? [], statistics: statistics, referrals: referrals)
        policy.erasure = erasure
        policy.warnings = try LabelChecks.check(schemaSites, labels: labels, labelsFile: displayPrefix + "labels.yaml")
        policy.labels = labels?.labels ?? PolicyLabels()
        for (type, sites) in zip(schemaSites.map(\.reader.file), schemaSites) {
            guard let (label, _) = sites.typeLabel else { continue }
            let base = String(type.dropFirst((displayPrefix + "schema/").count).dropLast(".yaml".count))
            policy.labels.recordTypes[base] = label
        }
        return policy
    }

    /// SHA-256 over every file that shapes decisions (documentation excluded), in path
    /// order, each as `path NUL length NUL contents`, so renaming, moving or editing any
    /// rule changes the version.
    static func version(of files: [PolicyFile]) -> String {
        var h = SHA256()
        for f in files.sorted(by: { $0.path < $1.path }) where !f.path.hasSuffix(".md") {
            h.update(Array(f.path.utf8))
            h.update(byte: 0)
            h.update(Array(String(f.contents.count).utf8))
            h.update(byte: 0)
            h.update(f.contents)
        }
        return Hex.encode(h.finalize())
    }
}
