import HavenCore

/// One agency of the deployment (`policy/agencies.yaml`): the id users and records carry,
/// its names as people read them, and what kind of service it is.
public struct Agency: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case ossc, shelter, health, police, prosecutor, court, ngo, oversight
        case legalAid = "legal_aid"
    }

    public let id: AgencyName
    public let kind: Kind
    /// Lao, Vietnamese and English names, as the file gives them.
    public let names: [String: String]
    /// The prefix of its case numbers, if the file gives one (`CasePrefix`).
    public let casePrefix: String?

    public init(id: AgencyName, kind: Kind, names: [String: String], casePrefix: String? = nil) {
        self.id = id
        self.kind = kind
        self.names = names
        self.casePrefix = casePrefix
    }
}

/// The agencies a policy knows, if it lists them. A policy directory without agencies.yaml
/// accepts any agency name, as releases before the list did.
public struct AgencyList: Sendable, Equatable {
    public let agencies: [AgencyName: Agency]?

    public init(_ agencies: [AgencyName: Agency]?) {
        self.agencies = agencies
    }

    /// Throws `invalid_value` for an agency the list does not hold, naming the closest ones.
    public func check(_ name: AgencyName, what: String) throws(HavenError) {
        guard let agencies, agencies[name] == nil else { return }
        throw unknown(name.rawValue, what: what)
    }

    /// `raw` as an agency of the list. A name typed in capitals is refused as any other
    /// unknown one (ids are exact), with its lower-case spelling suggested when the list has it.
    public func named(_ raw: String, what: String) throws(HavenError) -> AgencyName {
        guard let name = try? AgencyName(raw) else {
            guard agencies != nil, NameRules.isValid(raw.lowercased()) else { return try AgencyName(raw) }
            throw unknown(NameRules.printable(raw), what: what)
        }
        try check(name, what: what)
        return name
    }

    private func unknown(_ shown: String, what: String) -> HavenError {
        let known = (agencies ?? [:]).keys.map(\.rawValue)
        let question = CloseMatches.question(shown, among: known)
        return HavenError(.invalidValue, "unknown agency '\(shown)' (\(what))",
                          hint: question.isEmpty ? "the agencies are listed in policy/agencies.yaml"
                              : question + "The agencies are listed in policy/agencies.yaml")
    }
}
