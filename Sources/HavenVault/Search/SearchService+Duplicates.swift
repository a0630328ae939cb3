import HavenAPI
import HavenCore
import HavenPolicy

/// What the duplicate check at `record.create` found: at most `PossibleDuplicates.bound`
/// matches, sorted as a search sorts them, and how many candidates it left unopened.
struct DuplicateCheck {
    var result = SearchResult()
    /// Candidates the lookup named past the last one opened: possible duplicates, or index
    /// coincidences, that the check did not look at once it had found its bound.
    var unchecked = 0

    /// Matches found: listed, or counted by agency.
    var count: Int { result.listed.count + result.elsewhere.values.reduce(0, +) }

    var answer: PossibleDuplicates {
        PossibleDuplicates(records: result.listed, elsewhere: result.elsewhereCounts, count: count, unchecked: unchecked)
    }
}

extension SearchService {
    /// The most candidates each of the duplicate check's lookups walks: five times the list,
    /// room for index coincidences and for matches a role may only count. A record a
    /// create must name is one a person would recognise among twenty; past a hundred
    /// records with one phone (a shelter's own line), which of them are listed matters less
    /// than that a create stays as fast as the day before.
    static let duplicateScan = 100

    /// The duplicate check of `record.create`: existing records with the new record's name
    /// and date of birth, or its phone. Nil when the creator may not search (a role
    /// without `record.find` learns nothing of other records) or nothing matches.
    ///
    /// Bounded, so that a phone shared by ten thousand records costs a create what a
    /// hundred do: each lookup walks at most `duplicateScan` candidates of the index (in its
    /// own order, which is the random order of record ids), and those of both lookups come in
    /// one list, the most recently changed first; they are opened in that order, and opening
    /// stops once `PossibleDuplicates.bound` match. An index coincidence is still dropped by
    /// opening it (its value is not the new record's), so a create opens the candidates up
    /// to the last match it reports and never one past it. What it did not open is counted
    /// (`unchecked`), never passed over in silence; a value shared by more records than the
    /// walk reaches is said to have more ("more may exist"), not to have none.
    func possibleDuplicates(of values: [(FieldSpec, String)], for user: EnrolledUser, policy: Policy,
                            findings: inout [String]) throws(HavenError) -> DuplicateCheck? {
        let purpose = "duplicate check at record creation"
        guard policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .recordFind, purpose: purpose,
                                          now: pipeline.clock.now())).allowed
        else { return nil }
        func first(_ kind: SearchKind) -> SearchQuery.Criterion? {
            values.lazy.filter { indexer.fields[$0.0.name]?.kind == kind }.compactMap { SearchQuery.criterion(kind, $0.1) }.first
        }
        var queries = [SearchQuery]()
        if let name = first(.name), let dob = first(.date) { queries.append(SearchQuery([name, dob])) }
        if let phone = first(.phone) { queries.append(SearchQuery([phone])) }
        guard !queries.isEmpty else { return nil }
        let check = try pipeline.readSnapshot { (view) throws(HavenError) -> DuplicateCheck in
            var check = DuplicateCheck()
            let candidates = try candidates(queries, limit: Self.maximumCandidates, perLookup: Self.duplicateScan, in: view)
            // A role that may learn nothing of records beyond its reach counts toward the bound
            // only what it may list, and hears of unchecked candidates only once its list is
            // full: a bound filled by matches it may not see, or a count of candidates beside a
            // short list, would say that records it cannot read exist.
            let blind = policy.roles[user.role]?.findElsewhere == FindElsewhere.none
            var opened = 0, confirmed = 0
            func found() -> Int { blind ? check.result.listed.count : confirmed }
            for id in candidates.ids {
                guard found() < PossibleDuplicates.bound else { break }
                opened += 1
                guard let m = try confirm(queries, id, in: view, policy: policy, findings: &check.result.findings) else { continue }
                confirmed += 1
                sortMatches([SearchMatch(opened: m.opened, matched: m.matched.sorted { $0.rawValue < $1.rawValue }, exactName: m.exactName)],
                            for: user, purpose: purpose, policy: policy, into: &check.result)
            }
            check.unchecked = blind && found() < PossibleDuplicates.bound ? 0 : candidates.total - opened
            CaseNumbers(keys: keys, logger: pipeline.logger).label(&check.result.listed, caller: user.agency, on: view.db)
            return check
        }
        findings += check.result.findings
        return check.count == 0 && check.unchecked == 0 ? nil : check
    }
}
