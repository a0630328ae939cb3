import HavenAPI
import HavenCore

/// A record whose decrypted values match every criterion of a query.
struct SearchMatch {
    let opened: OpenedRecord
    let matched: [FieldName]
    /// Nil when no name was searched; false when a name matched only without diacritics.
    let exactName: Bool?
}

/// Matches sorted by what the caller may see of them.
struct SearchResult {
    var listed: [FoundRecord] = []
    var elsewhere: [String: Int] = [:]
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
