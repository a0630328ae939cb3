import HavenAPI
import HavenCore

/// A record whose decrypted values match every criterion of a query.
struct SearchMatch {
    let opened: OpenedRecord
    let matched: [FieldName]
    /// Nil when no name was searched; false when a name matched only without diacritics.
    let exactName: Bool?
}

/// Matches sorted by what the caller may see of them: listed, counted by a named agency,
/// folded into one flag, or left out (`Policy.elsewhere`).
struct SearchResult {
    var listed: [FoundRecord] = []
    /// Matches the caller may not see, by agency, where the policy lets it be named.
    var elsewhere: [String: Int] = [:]
    /// Whether some match the caller may not see may only be hinted at: no agency, no number.
    var mayExistElsewhere = false
    /// Candidates that failed their integrity check (for the request's audit entry).
    var findings: [String] = []

    var elsewhereCounts: [AgencyCount] {
        elsewhere.keys.sorted().map { AgencyCount(agency: $0, count: elsewhere[$0]!) }
    }

    /// `agency:count,…`, for the audit entry.
    var elsewhereDetail: String {
        elsewhereCounts.map { "\($0.agency):\($0.count)" }.joined(separator: ",")
    }
}
