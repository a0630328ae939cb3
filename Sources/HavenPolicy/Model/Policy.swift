import HavenCore

/// A validated, immutable policy: record types, roles, the agencies it knows, and the
/// version (a hash of the files) that every decision records.
public struct Policy: Sendable, Equatable {
    /// SHA-256 over the policy files (FORMAT.md, "policy version"), lower-case hex.
    public let version: String
    public let recordTypes: [RecordTypeName: RecordType]
    public let roles: [RoleName: RolePolicy]
    /// `policy/agencies.yaml`; without it any agency name is accepted.
    public let agencies: AgencyList
    /// `policy/provinces.yaml`, in the file's order; empty without it.
    public let provinces: [Province]
    /// `policy/statistics.yaml`; the defaults without it.
    public let statistics: StatisticsSettings
    /// `policy/referrals.yaml`, by service name; empty without it (no referral can be made).
    public let referrals: [String: ReferralService]
    /// `policy/erasure.yaml`: the reasons a record may be erased for; the standard four without it.
    public var erasure: ErasureReasons = .standard
    /// `policy/labels.yaml`: Lao and Vietnamese labels of groups, choice values and record
    /// types; empty without it (everything is shown in English).
    public var labels = PolicyLabels()
    /// What `haven policy check` warns of without refusing the policy: missing
    /// translations, each with its file and line.
    public var warnings: [PolicyError] = []

    public init(version: String, recordTypes: [RecordTypeName: RecordType], roles: [RoleName: RolePolicy],
                agencies: AgencyList = AgencyList(nil), provinces: [Province] = [], statistics: StatisticsSettings = .init(),
                referrals: [String: ReferralService] = [:]) {
        self.referrals = referrals
        self.provinces = provinces
        self.statistics = statistics
        self.version = version
        self.recordTypes = recordTypes
        self.roles = roles
        self.agencies = agencies
    }

    /// The first 16 hex digits, as shown to people; audit entries keep the full hash.
    public var shortVersion: String { String(version.prefix(16)) }

    public func recordType(named raw: String) throws(HavenError) -> RecordType {
        guard let name = try? RecordTypeName(raw), let type = recordTypes[name] else {
            throw HavenError(.unknownRecordType, "unknown record type '\(NameRules.printable(raw))'",
                             hint: CloseMatches.question(raw, among: recordTypes.keys.map(\.rawValue))
                                 + "known types: \(recordTypes.keys.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return type
    }

    public func role(_ name: RoleName) -> RolePolicy? {
        roles[name]
    }
}
