import HavenCore
import HavenPolicy
import HavenStore

extension RequestPipeline {
    /// What `user` hears of erased record `id`: `erased` with the date to a role that could
    /// have read it (`Policy.mayLearnErasure`, by the record's agency), and to anyone else
    /// exactly what an id that never existed gets, so an id is no oracle of who was a client
    /// where. Never who erased it: that is for the audit log. A record `named` by a case
    /// number gets, where the erasure is not theirs to learn, a number never given's answer.
    func erasedAnswer(_ id: RecordID, for user: EnrolledUser, named raw: String? = nil) -> HavenError {
        let policy = policies.policy
        let row = try? readSnapshot { (view) throws(HavenError) -> StoredRecord? in opener.tombstone(id, in: view) }
        guard let stored = row ?? nil, let agency = try? AgencyName(stored.agency),
              policy.mayLearnErasure(of: agency, by: Self.subject(of: user)) else {
            if let raw, raw != id.rawValue { return CaseNumbers.neverGiven(raw) }
            return HavenError.notFound("no record \(id)")
        }
        return RecordOpener.erasedError(id, stored)
    }
}
