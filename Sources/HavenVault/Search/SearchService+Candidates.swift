import HavenCore
import HavenStore

extension SearchService {
    /// The records the blind indexes name for any of `queries`, the most recently changed
    /// first (at most `limit`), and how many they name in all — or, with `perLookup`, how
    /// many of the first `perLookup` each lookup names (`SearchIndexTable.candidates`).
    ///
    /// Index values are per agency (HavenCrypto `BlindIndex`), so each searched value is
    /// looked up at every agency the vault's records name, read in the same snapshot: the
    /// policy's agencies that hold records, and any agency since removed from the policy
    /// whose records are still here, which stay findable. Two statements whatever the
    /// number of agencies: the agencies, then one lookup of every key.
    func candidates(_ queries: [SearchQuery], limit: Int, perLookup: Int? = nil, in view: StoreView) throws(HavenError) -> SearchCandidates {
        let logger = pipeline.logger
        let agencies = try storeCall(logger) { try SearchIndexTable.recordAgencies(on: view.db) }
        let lookups = queries.map { q in
            SearchIndexLookup(groups: q.criteria.map { indexer.keys($0.kind, form: $0.form, agencies: agencies) })
        }
        return try storeCall(logger) { try SearchIndexTable.candidates(lookups, limit: limit, perLookup: perLookup, on: view.db) }
    }
}
