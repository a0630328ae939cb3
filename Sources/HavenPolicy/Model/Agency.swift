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
        let close = CloseMatches.of(name.rawValue, among: agencies.keys.map(\.rawValue))
        throw HavenError(.invalidValue, "unknown agency '\(name)' (\(what))",
                         hint: close.isEmpty ? "the agencies are listed in policy/agencies.yaml"
                             : "did you mean \(close.joined(separator: " or "))? The agencies are listed in policy/agencies.yaml")
    }
}

/// The names within a small edit distance of a typed one, closest first: a typo must be
/// refused with the right spelling beside it, never taken as a new name.
public enum CloseMatches {
    public static func of(_ typed: String, among names: [String], limit: Int = 3) -> [String] {
        let t = Array(typed.lowercased().utf8)
        let bound = max(2, t.count / 4)
        var scored = [(name: String, distance: Int)]()
        for name in names {
            let d = distance(t, Array(name.lowercased().utf8))
            if d <= bound { scored.append((name, d)) }
        }
        scored.sort { a, b in a.distance != b.distance ? a.distance < b.distance : a.name < b.name }
        return scored.prefix(limit).map { $0.name }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring letters ("vientaine" for "vientiane") each cost one.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
